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
import io.harperdb.replication.plan.PlannedOperation.RestartWorkers;
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
        if (!target.contactable()) {
            return new OperationResult(operation, Outcome.REFUSED, "not sent: " + target.contactProblem());
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
        return operation.accept(SUBJECT);
    }

    private static final PlannedOperation.Visitor<String> SUBJECT = new PlannedOperation.Visitor<>() {
        @Override
        public String addNode(AddNode add) {
            return add.request().nodeName();
        }

        @Override
        public String updateNode(UpdateNode update) {
            return update.request().hostname();
        }

        @Override
        public String removeNode(RemoveNode remove) {
            return remove.hostname();
        }

        @Override
        public String deleteNodeRecords(DeleteNodeRecords delete) {
            return delete.target();
        }

        @Override
        public String configureCluster(ConfigureCluster configure) {
            return configure.target();
        }

        @Override
        public String setRoutes(SetRoutes set) {
            return "routes of " + set.target();
        }

        @Override
        public String deleteRoutes(DeleteRoutes delete) {
            return "routes of " + delete.target();
        }

        @Override
        public String restartWorkers(RestartWorkers restart) {
            return restart.target();
        }
    };

    /** One line that names the operation, its target and its subject; never a credential. */
    static String describe(PlannedOperation operation) {
        return operation.accept(DESCRIPTION);
    }

    private static final PlannedOperation.Visitor<String> DESCRIPTION = new PlannedOperation.Visitor<>() {
        @Override
        public String addNode(AddNode add) {
            List<?> subscriptions = add.request().subscriptions();
            return "add_node " + add.request().identity() + " on " + add.target()
                    + (subscriptions == null || subscriptions.isEmpty() ? "" : " with " + subscriptions.size() + " subscriptions");
        }

        @Override
        public String updateNode(UpdateNode update) {
            return "update_node " + update.request().hostname() + " on " + update.target();
        }

        @Override
        public String removeNode(RemoveNode remove) {
            return "remove_node " + remove.hostname() + " on " + remove.target();
        }

        @Override
        public String deleteNodeRecords(DeleteNodeRecords delete) {
            return "delete hdb_nodes " + delete.ids() + " on " + delete.target();
        }

        @Override
        public String configureCluster(ConfigureCluster configure) {
            return "configure_cluster on " + configure.target() + " with "
                    + configure.connections().stream().map(AddNodeRequest::identity).toList();
        }

        @Override
        public String setRoutes(SetRoutes set) {
            return "cluster_set_routes " + set.routes() + " on " + set.target();
        }

        @Override
        public String deleteRoutes(DeleteRoutes delete) {
            return "cluster_delete_routes " + delete.routes() + " on " + delete.target();
        }

        @Override
        public String restartWorkers(RestartWorkers restart) {
            return "restart_service http_workers on " + restart.target() + " (" + restart.because() + ")";
        }
    };

    /** Sends one operation with the target's client; HarperDB's message on success. */
    private static String call(HarperClient client, PlannedOperation operation) {
        return operation.accept(new PlannedOperation.Visitor<String>() {
            @Override
            public String addNode(AddNode add) {
                return client.addNode(add.request()).message();
            }

            @Override
            public String updateNode(UpdateNode update) {
                return client.updateNode(update.request()).message();
            }

            @Override
            public String removeNode(RemoveNode remove) {
                return client.removeNode(remove.hostname()).message();
            }

            @Override
            public String deleteNodeRecords(DeleteNodeRecords delete) {
                return client.deleteNodeRecords(delete.ids()).message();
            }

            @Override
            public String configureCluster(ConfigureCluster configure) {
                return client.configureCluster(configure.connections()).message();
            }

            @Override
            public String setRoutes(SetRoutes set) {
                return client.setRoutes(set.routes()).message();
            }

            @Override
            public String deleteRoutes(DeleteRoutes delete) {
                return client.deleteRoutes(delete.routes()).message();
            }

            @Override
            public String restartWorkers(RestartWorkers restart) {
                return client.restartHttpWorkers().message();
            }
        });
    }
}
