package io.harperdb.replication.plan;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.client.UpdateNodeRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One Operations API call of a plan. {@link #target()} is the member it is sent to. No
 * {@code toString} shows a credential ({@link AddNodeRequest#toString()} hides them).
 *
 * <p>Code that treats each kind of operation differently does so with a {@link Visitor}, not with
 * {@code instanceof}: a new kind adds a method to the visitor, so every such place stops compiling
 * until it handles it (Java 17 has no exhaustive pattern-matching switch). PlannedOperationVisitorTest
 * keeps it that way.
 */
public sealed interface PlannedOperation {

    /** The member (node name) this operation is sent to. */
    String target();

    /** {@code visitor}'s method for this kind of operation, applied to it. */
    <R> R accept(Visitor<R> visitor);

    /** This operation as an edit of the target's routes, or empty when it is none. */
    default Optional<RouteEdit> asRouteEdit() {
        return Optional.empty();
    }

    /** add_node, update_node or configure_cluster: a call that makes or changes links of its target. */
    default boolean isLinkCall() {
        return false;
    }

    /** A link call for a partial member: update_node, or add_node with subscriptions. */
    default boolean isPartialLinkCall() {
        return false;
    }

    /** Whether this operation asks its target to verify a peer's certificate (verify_tls true in what it sends). */
    default boolean verifiesTls() {
        return false;
    }

    /** One method per kind of operation: implementing it handles every kind, or does not compile. */
    interface Visitor<R> {
        R addNode(AddNode operation);

        R updateNode(UpdateNode operation);

        R removeNode(RemoveNode operation);

        R deleteNodeRecords(DeleteNodeRecords operation);

        R configureCluster(ConfigureCluster operation);

        R setRoutes(SetRoutes operation);

        R deleteRoutes(DeleteRoutes operation);

        R restartWorkers(RestartWorkers operation);
    }

    /** {@code cluster_set_routes} or {@code cluster_delete_routes}: an edit of the target's route config. */
    sealed interface RouteEdit extends PlannedOperation {
        List<Route> routes();

        /** The routes in the target's config file after this edit, when it loaded {@code loaded} (see {@link RouteEdits}). */
        List<Route> configAfter(List<Route> loaded);

        @Override
        default Optional<RouteEdit> asRouteEdit() {
            return Optional.of(this);
        }
    }

    /** {@code add_node}: the target links to the named node (an upsert). */
    record AddNode(String target, AddNodeRequest request) implements PlannedOperation {
        @Override
        public boolean verifiesTls() {
            return Boolean.TRUE.equals(request.verifyTls());
        }

        @Override
        public boolean isLinkCall() {
            return true;
        }

        @Override
        public boolean isPartialLinkCall() {
            return request.subscriptions() != null && !request.subscriptions().isEmpty();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addNode(this);
        }
    }

    /** {@code update_node}: new subscriptions of the target's existing partial link to the named node. */
    record UpdateNode(String target, UpdateNodeRequest request) implements PlannedOperation {
        @Override
        public boolean verifiesTls() {
            return Boolean.TRUE.equals(request.verifyTls());
        }

        @Override
        public boolean isLinkCall() {
            return true;
        }

        @Override
        public boolean isPartialLinkCall() {
            return true;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.updateNode(this);
        }
    }

    /** {@code remove_node} sent with {@code hostname}: the record of that node goes on every member. */
    record RemoveNode(String target, String hostname) implements PlannedOperation {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeNode(this);
        }
    }

    /**
     * {@code delete} of {@code system.hdb_nodes} records {@code ids} on the target itself. Used when a
     * member changes between full and partial replication: {@code remove_node} deletes the member's own
     * record everywhere but leaves its records of its peers, and a later add_node merges new
     * subscriptions into those stale records (replicates stays true), so they are deleted in between.
     * Sent after the RemoveNode of the target and before the AddNode calls that re-link it.
     */
    record DeleteNodeRecords(String target, List<String> ids) implements PlannedOperation {
        public DeleteNodeRecords {
            ids = List.copyOf(ids);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.deleteNodeRecords(this);
        }
    }

    /** {@code configure_cluster}: a batch of add_node, to bootstrap a new cluster in one call. */
    record ConfigureCluster(String target, List<AddNodeRequest> connections) implements PlannedOperation {
        @Override
        public boolean verifiesTls() {
            return connections.stream().anyMatch(c -> Boolean.TRUE.equals(c.verifyTls()));
        }

        @Override
        public boolean isLinkCall() {
            return true;
        }

        public ConfigureCluster {
            connections = List.copyOf(connections);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.configureCluster(this);
        }
    }

    /** {@code cluster_set_routes}: upserts these routes in the target's config (effective after a restart). */
    record SetRoutes(String target, List<Route> routes) implements RouteEdit {
        public SetRoutes {
            routes = List.copyOf(routes);
        }

        /** HarperDB writes {@code loaded ∪ routes}. */
        @Override
        public List<Route> configAfter(List<Route> loaded) {
            Set<Route> result = new LinkedHashSet<>(loaded == null ? List.of() : loaded);
            result.addAll(routes);
            return List.copyOf(result);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.setRoutes(this);
        }
    }

    /** {@code cluster_delete_routes}: removes these routes from the target's config (effective after a restart). */
    record DeleteRoutes(String target, List<Route> routes) implements RouteEdit {
        public DeleteRoutes {
            routes = List.copyOf(routes);
        }

        /** HarperDB writes {@code loaded − routes}. */
        @Override
        public List<Route> configAfter(List<Route> loaded) {
            Set<Route> result = new LinkedHashSet<>(loaded == null ? List.of() : loaded);
            routes.forEach(result::remove);
            return List.copyOf(result);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.deleteRoutes(this);
        }
    }

    /**
     * {@code restart_service} of {@code http_workers}: the target restarts its worker threads, which hold its
     * replication connections, and connects to its peers anew. On 4.7.29 a connection whose reconnect threw
     * (certificate context missing while it was being re-signed) is never tried again; add_node does not renew it
     * (the subscription exists), a new worker does (docs/harperdb-compatibility.md row 29).
     *
     * @param because why, for the log and the Event: which peer it has received nothing from, since when
     */
    record RestartWorkers(String target, String because) implements PlannedOperation {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.restartWorkers(this);
        }
    }
}
