package io.harperdb.replication.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One table's replication relationship, from the point of view of the node that holds the record:
 * {@code subscribe} = it receives the remote table's changes, {@code publish} = it sends its own.
 * Every field is required by HarperDB; a missing one is represented as null and refused by
 * {@link #problems()} before any request is sent. Unknown fields (other 4.x versions) are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Subscription(
        @JsonProperty("database") String database,
        @JsonProperty("table") String table,
        @JsonProperty("subscribe") Boolean subscribe,
        @JsonProperty("publish") Boolean publish) {

    @JsonCreator
    public Subscription {
    }

    public static Subscription of(String database, String table, boolean subscribe, boolean publish) {
        return new Subscription(database, table, subscribe, publish);
    }

    /**
     * The record's equality, written out: the planner compares each partial record's entries every poll
     * (hundreds of thousands at 1,000 members), and the generated one cost several times as much there.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Subscription s
                && Objects.equals(database, s.database) && Objects.equals(table, s.table)
                && Objects.equals(subscribe, s.subscribe) && Objects.equals(publish, s.publish);
    }

    @Override
    public int hashCode() {
        int h = Objects.hashCode(database);
        h = 31 * h + Objects.hashCode(table);
        h = 31 * h + Objects.hashCode(subscribe);
        return 31 * h + Objects.hashCode(publish);
    }

    /** The same relationship seen from the other end: what one side publishes, the other subscribes to. */
    public Subscription reversed() {
        return new Subscription(database, table, publish, subscribe);
    }

    /** Why this entry cannot be sent to HarperDB; empty when it is complete. */
    public String problems() {
        StringBuilder missing = new StringBuilder();
        if (database == null || database.isBlank()) missing.append(" database");
        if (table == null || table.isBlank()) missing.append(" table");
        if (subscribe == null) missing.append(" subscribe");
        if (publish == null) missing.append(" publish");
        return missing.isEmpty() ? "" : "subscription " + database + "." + table + " lacks" + missing;
    }
}
