package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.Secret;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.resources.ManagedMembers;
import io.harperdb.operator.resources.MemberAddressResolver;
import java.util.function.Function;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.HarperNodeStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.replication.client.HarperOperationException;
import io.harperdb.replication.model.NodeRecord;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a HarperNode on its own account: reports a spec that cannot work (phase Failed, reason
 * InvalidSpec) and a clusterRef that names nothing, and holds the
 * node's deletion (finalizer) until it has left the real cluster. The cluster's reconciler sends the
 * remove_node (it sees the node leaving) and writes the status of nodes whose cluster exists; this
 * one only reads HarperDB, to see when the node's record is gone.
 */
@ControllerConfiguration(name = HarperNodeReconciler.NAME)
public class HarperNodeReconciler implements Reconciler<HarperNode>, Cleaner<HarperNode> {
    public static final String NAME = "harpernode";
    static final Duration REMOVAL_CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(HarperNodeReconciler.class);

    private final HarperClientFactory clients;
    private final Clock clock;
    private final MemberAddressResolver addresses;

    public HarperNodeReconciler(HarperClientFactory clients, Clock clock, MemberAddressResolver addresses) {
        this.clients = clients;
        this.clock = clock;
        this.addresses = addresses;
    }

    @Override
    public UpdateControl<HarperNode> reconcile(HarperNode node, Context<HarperNode> context) {
        long generation = Optional.ofNullable(node.getMetadata().getGeneration()).orElse(0L);
        String problem = MemberResolver.specProblem(node.getSpec());
        if (problem != null) {
            // The CRD refuses such a spec; an older CRD or a server without CEL does not. The cluster's
            // reconciler writes the same status when it sees the node, so the two never flap.
            NodeStatusWriter.write(context.getClient(), node, ClusterStatusBuilder.invalidNode(node.getStatus(), node.getMetadata().getName(),
                    problem, generation, clock.instant()));
        } else if (cluster(context.getClient(), node).isEmpty()) {
            HarperNodeStatus status = new HarperNodeStatus();
            status.setObservedGeneration(generation);
            status.setPhase(Phase.PENDING);
            status.setConditions(Conditions.merge(node.getStatus() == null ? null : node.getStatus().getConditions(),
                    List.of(Conditions.of(Conditions.READY, false, "ClusterNotFound",
                            "HarperCluster " + node.getSpec().getClusterRef() + " does not exist in namespace "
                                    + node.getMetadata().getNamespace() + ": nothing is sent", generation)),
                    clock.instant()));
            NodeStatusWriter.write(context.getClient(), node, status);
        }
        return UpdateControl.noUpdate();
    }

    @Override
    public DeleteControl cleanup(HarperNode node, Context<HarperNode> context) {
        KubernetesClient client = context.getClient();
        Optional<HarperCluster> cluster = cluster(client, node);
        if (cluster.isEmpty() || cluster.get().getMetadata().getDeletionTimestamp() != null) {
            // The cluster is gone or going: nothing to leave, the finalizer goes.
            return DeleteControl.defaultDelete();
        }
        if (Annotations.isPaused(cluster.get())) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(10).toMillis());
        }
        String namespace = node.getMetadata().getNamespace();
        List<HarperNode> nodes = client.resources(HarperNode.class).inNamespace(namespace).list().getItems();
        Function<String, Optional<Secret>> secrets = new RoundSecrets(client, namespace);
        MemberResolver.Members members = MemberResolver.resolve(cluster.get(), nodes, secrets);
        if (cluster.get().getSpec().getInstances() != null) {
            // The managed pods are peers too: their records show when the node has left.
            int replicas = ManagedMembers.replicas(cluster.get());
            members = members.plus(MemberResolver.managed(cluster.get(), replicas, replicas, addresses, secrets));
        }
        String leaving = MemberResolver.nodeName(node.getSpec());
        List<ClusterMember> peers = members.staying().stream().filter(ClusterMember::hasCredentials)
                .filter(m -> MemberResolver.urlProblem(m) == null).toList();
        if (members.staying().isEmpty() || leaving == null || MemberResolver.specProblem(node.getSpec()) != null) {
            // Nothing was ever sent about a node whose spec cannot work (its url does not parse): nothing to wait for.
            return DeleteControl.defaultDelete();
        }
        for (ClusterMember peer : peers) {
            try {
                List<NodeRecord> records = clients.clientFor(peer).nodeRecords();
                if (records.stream().noneMatch(r -> leaving.equals(r.name()))) {
                    LOG.info("HarperNode {}/{}: {} has left the cluster, finalizer removed", namespace,
                            node.getMetadata().getName(), leaving);
                    return DeleteControl.defaultDelete();
                }
                // Still a member: the cluster's reconciler is removing it.
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(REMOVAL_CHECK_INTERVAL.toMillis());
            } catch (HarperOperationException | IllegalArgumentException e) {
                LOG.debug("HarperNode {}/{}: peer {} not readable: {}", namespace, node.getMetadata().getName(), peer.name(), e.getMessage());
            }
        }
        LOG.warn("HarperNode {}/{}: no member of {} answers; waiting before removing {}", namespace,
                node.getMetadata().getName(), cluster.get().getMetadata().getName(), leaving);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(15).toMillis());
    }

    private static Optional<HarperCluster> cluster(KubernetesClient client, HarperNode node) {
        if (node.getSpec() == null || node.getSpec().getClusterRef() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(client.resources(HarperCluster.class).inNamespace(node.getMetadata().getNamespace())
                .withName(node.getSpec().getClusterRef()).get());
    }
}
