package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/**
 * A subscription as a member reports it in cluster_status. Unlike {@link Subscription} no field is
 * required: status mirrors what HarperDB says, and a status write must not be refused for it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"database", "table", "subscribe", "publish"})
public class ObservedSubscription {
    private String database;
    private String table;
    private Boolean subscribe;
    private Boolean publish;

    public ObservedSubscription() {
    }

    public ObservedSubscription(String database, String table, Boolean subscribe, Boolean publish) {
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
        return o instanceof ObservedSubscription s && Objects.equals(database, s.database) && Objects.equals(table, s.table)
                && Objects.equals(subscribe, s.subscribe) && Objects.equals(publish, s.publish);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, table, subscribe, publish);
    }
}
