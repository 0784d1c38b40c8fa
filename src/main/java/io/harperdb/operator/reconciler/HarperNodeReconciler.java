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
import io.harperdb.replication.Durations;
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
import java.time.Instant;
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
    /**
     * How long a deleted HarperNode waits, from its deletionTimestamp, for a peer to confirm that it has left
     * (no peer answers, the cluster is paused, or remove_node does not take): then the finalizer goes with a
     * Warning Event, so that a deletion never hangs. Ten minutes outlast a rolling restart of the peers.
     * The annotation {@link Annotations#REMOVAL_TIMEOUT} on the HarperNode overrides it.
     */
    public static final Duration REMOVAL_DEADLINE = Duration.ofMinutes(10);
    static final String REMOVAL_UNCONFIRMED = "RemovalUnconfirmed";
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
        boolean written = true;
        if (problem != null) {
            // The CRD refuses such a spec; an older CRD or a server without CEL does not. The cluster's
            // reconciler writes the same status when it sees the node, so the two never flap.
            written = NodeStatusWriter.write(context.getClient(), node, ClusterStatusBuilder.invalidNode(node.getStatus(),
                    node.getMetadata().getName(), problem, generation, clock.instant()));
        } else if (cluster(context.getClient(), node).isEmpty()) {
            HarperNodeStatus status = new HarperNodeStatus();
            status.setObservedGeneration(generation);
            status.setPhase(Phase.PENDING);
            status.setConditions(Conditions.merge(node.getStatus() == null ? null : node.getStatus().getConditions(),
                    List.of(Conditions.of(Conditions.READY, false, "ClusterNotFound",
                            "HarperCluster " + node.getSpec().getClusterRef() + " does not exist in namespace "
                                    + node.getMetadata().getNamespace() + ": nothing is sent", generation)),
                    clock.instant()));
            written = NodeStatusWriter.write(context.getClient(), node, status);
        }
        // a write refused with 409 Conflict: again soon
        return written ? UpdateControl.noUpdate() : UpdateControl.<HarperNode>noUpdate().rescheduleAfter(HarperClusterReconciler.CONVERGING_INTERVAL);
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
            return waitOrRelease(node, client, cluster.get(), "HarperCluster " + cluster.get().getMetadata().getName()
                    + " is paused", Duration.ofSeconds(10));
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
        List<ClusterMember> peers = members.staying().stream().filter(ClusterMember::contactable)
                .filter(m -> MemberResolver.urlProblem(m) == null).toList();
        if (members.staying().isEmpty() || leaving == null || MemberResolver.specProblem(node.getSpec()) != null) {
            // Nothing was ever sent about a node whose spec cannot work (its url does not parse): nothing to wait for.
            return DeleteControl.defaultDelete();
        }
        Optional<ClusterMember> twin = members.staying().stream().filter(m -> leaving.equals(m.name())).findFirst();
        if (twin.isPresent()) {
            // Another member of the cluster declares the same node: it stays, and is not removed (see IdentityClaims).
            LOG.info("HarperNode {}/{}: {} stays declared by {}; nothing to remove, finalizer removed", namespace,
                    node.getMetadata().getName(), leaving, twin.get().resourceName());
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
                return waitOrRelease(node, client, cluster.get(), "peer " + peer.name() + " still records " + leaving,
                        REMOVAL_CHECK_INTERVAL);
            } catch (HarperOperationException | IllegalArgumentException e) {
                LOG.debug("HarperNode {}/{}: peer {} not readable: {}", namespace, node.getMetadata().getName(), peer.name(), e.getMessage());
            }
        }
        LOG.warn("HarperNode {}/{}: no member of {} answers; waiting before removing {}", namespace,
                node.getMetadata().getName(), cluster.get().getMetadata().getName(), leaving);
        return waitOrRelease(node, client, cluster.get(), "no member of HarperCluster "
                + cluster.get().getMetadata().getName() + " answers", Duration.ofSeconds(15));
    }

    /**
     * Waits (reschedules) until the removal deadline, then releases the finalizer with a Warning Event that
     * says the member may still be recorded on its peers and how to clean up.
     */
    private DeleteControl waitOrRelease(HarperNode node, KubernetesClient client, HarperCluster cluster, String why,
                                        Duration retry) {
        Duration deadline = removalDeadline(node);
        Duration waited = Duration.between(deletedAt(node), clock.instant());
        if (waited.compareTo(deadline) < 0) {
            long left = Math.max(1, deadline.minus(waited).toMillis());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Math.min(retry.toMillis(), left));
        }
        String name = node.getMetadata().getName();
        String message = "finalizer released after " + deadline.toString().substring(2).toLowerCase(java.util.Locale.ROOT) + " without confirmation that " + MemberResolver.nodeName(node.getSpec())
                + " left the cluster (" + why + "): it may still be recorded on its peers; to clean up, set"
                + " spec.replication.pruneUnknownNodes: true on HarperCluster " + cluster.getMetadata().getName()
                + " (or send remove_node to a peer)";
        LOG.warn("HarperNode {}/{}: {}", node.getMetadata().getNamespace(), name, message);
        new EventRecorder(client).warning(node, REMOVAL_UNCONFIRMED, message);
        return DeleteControl.defaultDelete();
    }

    static Duration removalDeadline(HarperNode node) {
        var annotations = node.getMetadata().getAnnotations();
        String text = annotations == null ? null : annotations.get(Annotations.REMOVAL_TIMEOUT);
        if (text != null) {
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                LOG.warn("HarperNode {}/{}: annotation {} is not a duration; using {}", node.getMetadata().getNamespace(),
                        node.getMetadata().getName(), Annotations.REMOVAL_TIMEOUT, REMOVAL_DEADLINE);
            }
        }
        return REMOVAL_DEADLINE;
    }

    private Instant deletedAt(HarperNode node) {
        try {
            return Instant.parse(node.getMetadata().getDeletionTimestamp());
        } catch (RuntimeException e) {
            return clock.instant();
        }
    }

    private static Optional<HarperCluster> cluster(KubernetesClient client, HarperNode node) {
        if (node.getSpec() == null || node.getSpec().getClusterRef() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(client.resources(HarperCluster.class).inNamespace(node.getMetadata().getNamespace())
                .withName(node.getSpec().getClusterRef()).get());
    }
}
