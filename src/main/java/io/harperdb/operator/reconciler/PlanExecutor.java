package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.HarperClient;
import io.harperdb.replication.client.HarperOperationException;
import io.harperdb.replication.client.InvalidRequestException;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.plan.PlannedOperation;
import io.harperdb.replication.plan.PlannedOperation.AddNode;
import io.harperdb.replication.plan.PlannedOperation.ConfigureCluster;
import io.harperdb.replication.plan.PlannedOperation.DeleteNodeRecords;
import io.harperdb.replication.plan.PlannedOperation.DeleteRoutes;
import io.harperdb.replication.plan.PlannedOperation.RemoveNode;
import io.harperdb.replication.plan.PlannedOperation.SetRoutes;
import io.harperdb.replication.plan.PlannedOperation.UpdateNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a plan's operations in order, each to its target member, and records each outcome as one log
 * line and one Event. An operation about a node whose earlier operation failed is skipped (a failed
 * remove_node must not be followed by the re-add of the same node); the rest go on, so one
 * unreachable member does not block the others.
 */
public class PlanExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(PlanExecutor.class);

    private final HarperClientFactory clients;
    private final EventRecorder events;

    public PlanExecutor(HarperClientFactory clients, EventRecorder events) {
        this.clients = clients;
        this.events = events;
    }

    public List<OperationResult> execute(HasMetadata cluster, List<PlannedOperation> operations,
                                         Map<String, ClusterMember> membersByName) {
        String clusterName = cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
        List<OperationResult> results = new ArrayList<>();
        Set<String> failedSubjects = new HashSet<>();
        for (PlannedOperation operation : operations) {
            String subject = subjectOf(operation);
            String summary = describe(operation);
            if (failedSubjects.contains(subject)) {
                results.add(new OperationResult(operation, null, "skipped: an earlier operation about " + subject + " failed"));
                LOG.info("cluster {}: {}: skipped after an earlier failure", clusterName, summary);
                continue;
            }
            ClusterMember target = membersByName.get(operation.target());
            OperationResult result = send(operation, target);
            results.add(result);
            if (result.succeeded()) {
                LOG.info("cluster {}: {}: {}", clusterName, summary, result.outcome());
                events.normal(cluster, "OperationSucceeded", summary + ": " + result.message());
            } else {
                failedSubjects.add(subject);
                LOG.warn("cluster {}: {}: {}: {}", clusterName, summary, result.outcome(), result.message());
                events.warning(cluster, "OperationFailed", summary + ": " + result.outcome() + ": " + result.message());
            }
        }
        return results;
    }

    private OperationResult send(PlannedOperation operation, ClusterMember target) {
        if (target == null || !target.hasCredentials()) {
            return new OperationResult(operation, Outcome.UNAUTHORIZED, "no credentials for target " + operation.target());
        }
        try {
            HarperClient client = clients.clientFor(target);
            String message = call(client, operation);
            return new OperationResult(operation, Outcome.SUCCESS, message == null ? "done" : message);
        } catch (HarperOperationException e) {
            return new OperationResult(operation, e.outcome(), TlsVerification.explain(operation, e.getMessage()));
        } catch (InvalidRequestException e) {
            // The planner never emits these; if it did, HarperDB must not see them.
            return new OperationResult(operation, Outcome.REFUSED, "not sent: " + e.getMessage());
        }
    }

    /** The node an operation is about, so that a failure stops the later operations about it. */
    static String subjectOf(PlannedOperation operation) {
        if (operation instanceof AddNode add) return add.request().identity();
        if (operation instanceof UpdateNode update) return update.request().hostname();
        if (operation instanceof RemoveNode remove) return remove.hostname();
        if (operation instanceof DeleteNodeRecords || operation instanceof ConfigureCluster) return operation.target();
        return "routes of " + operation.target();
    }

    /** One line that names the operation, its target and its subject; never a credential. */
    static String describe(PlannedOperation operation) {
        if (operation instanceof AddNode add) {
            List<?> subscriptions = add.request().subscriptions();
            return "add_node " + add.request().identity() + " on " + add.target()
                    + (subscriptions == null || subscriptions.isEmpty() ? "" : " with " + subscriptions.size() + " subscriptions");
        }
        if (operation instanceof UpdateNode update) return "update_node " + update.request().hostname() + " on " + update.target();
        if (operation instanceof RemoveNode remove) return "remove_node " + remove.hostname() + " on " + remove.target();
        if (operation instanceof DeleteNodeRecords delete) return "delete hdb_nodes " + delete.ids() + " on " + delete.target();
        if (operation instanceof ConfigureCluster configure) {
            return "configure_cluster on " + configure.target() + " with "
                    + configure.connections().stream().map(AddNodeRequest::identity).toList();
        }
        if (operation instanceof SetRoutes set) return "cluster_set_routes " + set.routes() + " on " + set.target();
        if (operation instanceof DeleteRoutes delete) return "cluster_delete_routes " + delete.routes() + " on " + delete.target();
        throw new IllegalArgumentException("unknown operation " + operation.getClass().getSimpleName());
    }

    /** Sends one operation with the target's client; HarperDB's message on success. */
    private static String call(HarperClient client, PlannedOperation operation) {
        if (operation instanceof AddNode add) return client.addNode(add.request()).message();
        if (operation instanceof UpdateNode update) return client.updateNode(update.request()).message();
        if (operation instanceof RemoveNode remove) return client.removeNode(remove.hostname()).message();
        if (operation instanceof DeleteNodeRecords delete) return client.deleteNodeRecords(delete.ids()).message();
        if (operation instanceof ConfigureCluster configure) return client.configureCluster(configure.connections()).message();
        if (operation instanceof SetRoutes set) return client.setRoutes(set.routes()).message();
        if (operation instanceof DeleteRoutes delete) return client.deleteRoutes(delete.routes()).message();
        throw new IllegalArgumentException("unknown operation " + operation.getClass().getSimpleName());
    }
}
