package io.harperdb.replication.plan;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.client.UpdateNodeRequest;
import java.util.List;

/**
 * One Operations API call of a plan. {@link #target()} is the member it is sent to. No
 * {@code toString} shows a credential ({@link AddNodeRequest#toString()} hides them).
 */
public sealed interface PlannedOperation {

    /** The member (node name) this operation is sent to. */
    String target();

    /** {@code add_node}: the target links to the named node (an upsert). */
    record AddNode(String target, AddNodeRequest request) implements PlannedOperation {
    }

    /** {@code update_node}: new subscriptions of the target's existing partial link to the named node. */
    record UpdateNode(String target, UpdateNodeRequest request) implements PlannedOperation {
    }

    /** {@code remove_node} sent with {@code hostname}: the record of that node goes on every member. */
    record RemoveNode(String target, String hostname) implements PlannedOperation {
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
    }

    /** {@code configure_cluster}: a batch of add_node, to bootstrap a new cluster in one call. */
    record ConfigureCluster(String target, List<AddNodeRequest> connections) implements PlannedOperation {
        public ConfigureCluster {
            connections = List.copyOf(connections);
        }
    }

    /** {@code cluster_set_routes}: upserts these routes in the target's config (effective after a restart). */
    record SetRoutes(String target, List<Route> routes) implements PlannedOperation {
        public SetRoutes {
            routes = List.copyOf(routes);
        }
    }

    /** {@code cluster_delete_routes}: removes these routes from the target's config (effective after a restart). */
    record DeleteRoutes(String target, List<Route> routes) implements PlannedOperation {
        public DeleteRoutes {
            routes = List.copyOf(routes);
        }
    }
}
