package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.Objects;

/**
 * One table's replication, seen from the member that declares it: {@code subscribe} = it receives
 * the table's changes, {@code publish} = it sends its own. HarperDB needs all four fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"database", "table", "subscribe", "publish"})
public class Subscription {

    /** CEL rule for a list of subscriptions: each (database, table) pair appears once. */
    static final String UNIQUE_TABLES_RULE =
            "self.all(s, self.exists_one(t, t.database == s.database && t.table == s.table))";
    static final String UNIQUE_TABLES_MESSAGE = "subscriptions must name each (database, table) pair only once";
    /** Bounds the duplicate check (quadratic) within the API server's CEL cost budget. */
    static final int MAX_PER_LIST = 128;

    // Bounded, like the lists, so that the duplicate check fits the API server's CEL cost budget.
    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Database name")
    private String database;

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Table name")
    private String table;

    @Required
    @JsonPropertyDescription("Whether this member receives the table's changes from its peers")
    private Boolean subscribe;

    @Required
    @JsonPropertyDescription("Whether this member sends its own changes of the table to its peers")
    private Boolean publish;

    public Subscription() {
    }

    public Subscription(String database, String table, boolean subscribe, boolean publish) {
        this.database = database;
        this.table = table;
        this.subscribe = subscribe;
        this.publish = publish;
    }

    public String getDatabase() {
        return database;
    }

    public void setDatabase(String database) {
        this.database = database;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public Boolean getSubscribe() {
        return subscribe;
    }

    public void setSubscribe(Boolean subscribe) {
        this.subscribe = subscribe;
    }

    public Boolean getPublish() {
        return publish;
    }

    public void setPublish(Boolean publish) {
        this.publish = publish;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subscription s && Objects.equals(database, s.database) && Objects.equals(table, s.table)
                && Objects.equals(subscribe, s.subscribe) && Objects.equals(publish, s.publish);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, table, subscribe, publish);
    }

    @Override
    public String toString() {
        return database + "." + table + "{subscribe=" + subscribe + ", publish=" + publish + "}";
    }
}
