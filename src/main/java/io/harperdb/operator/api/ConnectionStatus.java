package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Objects;

/** A member's link to one peer, as the member's cluster_status reports it (connections[]). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"name", "url", "replicates", "subscriptions", "connected", "databases"})
public class ConnectionStatus {

    @JsonPropertyDescription("The peer's node name")
    private String name;

    @JsonPropertyDescription("The peer's replication URL")
    private String url;

    @JsonPropertyDescription("Whether the link replicates everything (no subscriptions)")
    private Boolean replicates;

    @JsonPropertyDescription("The link's subscriptions; absent with full replication")
    private List<ObservedSubscription> subscriptions;

    @JsonPropertyDescription("Whether every database socket of the link is connected")
    private Boolean connected;

    @JsonPropertyDescription("The link's database sockets")
    private List<DatabaseSocketStatus> databases;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public Boolean getReplicates() {
        return replicates;
    }

    public void setReplicates(Boolean replicates) {
        this.replicates = replicates;
    }

    public List<ObservedSubscription> getSubscriptions() {
        return subscriptions;
    }

    public void setSubscriptions(List<ObservedSubscription> subscriptions) {
        this.subscriptions = subscriptions;
    }

    public Boolean getConnected() {
        return connected;
    }

    public void setConnected(Boolean connected) {
        this.connected = connected;
    }

    public List<DatabaseSocketStatus> getDatabases() {
        return databases;
    }

    public void setDatabases(List<DatabaseSocketStatus> databases) {
        this.databases = databases;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionStatus c && Objects.equals(name, c.name) && Objects.equals(url, c.url)
                && Objects.equals(replicates, c.replicates) && Objects.equals(subscriptions, c.subscriptions)
                && Objects.equals(connected, c.connected) && Objects.equals(databases, c.databases);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, url, replicates, subscriptions, connected, databases);
    }
}
