package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** How the members of a HarperCluster replicate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"databases", "subscriptions", "routes", "pruneUnknownNodes"})
@SchemaCustomizer(RouteSchema.class)
public class Replication {

    @Default("[\"*\"]")
    @Size(min = 1, max = 100)
    @JsonPropertyDescription("Databases that replicate; \"*\" for all")
    private List<@Size(min = 1, max = 64) String> databases = new ArrayList<>(List.of("*"));

    @Size(max = Subscription.MAX_PER_LIST)
    @ValidationRule(value = Subscription.UNIQUE_TABLES_RULE, message = Subscription.UNIQUE_TABLES_MESSAGE)
    @JsonPropertyDescription("Subscriptions of every member that declares none of its own; empty = full replication")
    private List<Subscription> subscriptions;

    @Size(max = 100)
    @JsonPropertyDescription("HarperDB's replication.routes of every managed instance (cluster_set_routes): "
            + "\"host\", \"host:port\", \"wss://host:port\" or {hostname, port}; "
            + "they take effect when the instance restarts")
    private List<Route> routes;

    @Default("false")
    @JsonPropertyDescription("Remove nodes that the cluster's members know but no resource declares (nodes added by hand): never a name that a HarperNode of the namespace declares, whatever its cluster or state, and only once two rounds in a row found it undeclared")
    private Boolean pruneUnknownNodes = false;

    public List<String> getDatabases() {
        return databases;
    }

    public void setDatabases(List<String> databases) {
        this.databases = databases;
    }

    public List<Subscription> getSubscriptions() {
        return subscriptions;
    }

    public void setSubscriptions(List<Subscription> subscriptions) {
        this.subscriptions = subscriptions;
    }

    public List<Route> getRoutes() {
        return routes;
    }

    public void setRoutes(List<Route> routes) {
        this.routes = routes;
    }

    public Boolean getPruneUnknownNodes() {
        return pruneUnknownNodes;
    }

    public void setPruneUnknownNodes(Boolean pruneUnknownNodes) {
        this.pruneUnknownNodes = pruneUnknownNodes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Replication r && Objects.equals(databases, r.databases)
                && Objects.equals(subscriptions, r.subscriptions) && Objects.equals(routes, r.routes)
                && Objects.equals(pruneUnknownNodes, r.pruneUnknownNodes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(databases, subscriptions, routes, pruneUnknownNodes);
    }
}
