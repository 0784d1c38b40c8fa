package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.Route;
import io.harperdb.replication.plan.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What one reconciliation round of a HarperCluster learns, filled in by the steps of
 * {@link HarperClusterReconciler} in order (each field says which step writes it). Nothing in it outlives the
 * round: what must survive until the next one is written to the cluster's status (and, while that write fails,
 * kept by the reconciler and handed to the next round as {@link #unwrittenStatus}).
 */
final class ClusterRound {
    static final MemberResolver.Members NO_MEMBERS = new MemberResolver.Members(List.of(), List.of());

    final HarperCluster cluster;
    /** The round's clock: every timestamp and time-based decision of the round uses it. */
    final Instant now;
    final long generation;
    final Duration pollInterval;
    final boolean paused;
    /** The status a previous round built but could not write; null when the cluster's status is the latest. */
    HarperClusterStatus unwrittenStatus;

    // ensure workloads
    /** Why the managed resources cannot be made or used; the round then only says so. */
    ConfigurationProblem configurationProblem;
    /** Secrets by name, each read once in this round. */
    Function<String, Optional<Secret>> secrets = name -> Optional.empty();
    /** Managed clusters: the members' certificates as this round left them (null: not managed, or the round stopped before). */
    ManagedResources.Certificates certificates;
    /** The {@link HarperClusterReconciler#CERTIFICATES_CONDITION} condition while cert-manager has not issued every certificate; else null. */
    io.fabric8.kubernetes.api.model.Condition certificatesCondition;
    /** The StatefulSet as it stands before this round writes it (null: none yet, or not managed). */
    StatefulSet currentStatefulSet;

    // resolve members
    List<HarperNode> nodes = List.of();
    MemberResolver.Members members = NO_MEMBERS;
    MemberResolver.Members managedMembers = NO_MEMBERS;
    int desiredReplicas;
    int currentReplicas;
    /** Staying members an earlier cluster has, by resource name, with why: nothing is sent to them. */
    Map<String, String> claimed = Map.of();

    // observe
    Map<String, MemberObservation> observations = Map.of();
    /** The HarperDB version each staying member that answered reported (read at a slow cadence), by node name. */
    Map<String, String> versions = Map.of();
    /** The names the members list that a HarperNode of the namespace declares (any cluster): never pruned. */
    Set<String> declaredInNamespace = Set.of();

    // drain leaving members
    /** Leaving members not yet drained (not removed from the mesh yet): name -> "pod (waiting for ...)". */
    Map<String, String> draining = new java.util.TreeMap<>();

    // plan
    /** Per member, the routes the operator last wrote to its config (status, then this round's edits). */
    Map<String, List<Route>> writtenRoutes = new HashMap<>();
    Plan plan;

    // act
    List<OperationResult> results = List.of();
    /** When a round of this cluster last sent HarperDB an operation that succeeded (this one or an earlier), or null. */
    Instant lastWrite;

    // settle scale-down
    /** Managed pods kept because remaining members still record them. */
    List<String> stillLeaving = List.of();
    /** The StatefulSet as this round wrote it (at most one write per round). */
    StatefulSet statefulSet;
    /** The {@link VersionGate#CONDITION} condition while an image change waits for approval; else null. */
    io.fabric8.kubernetes.api.model.Condition versionCondition;

    // expand volumes
    /** The {@link VolumeExpansion#CONDITION} condition; null when every data claim has the size. */
    io.fabric8.kubernetes.api.model.Condition storageCondition;

    // build status
    HarperClusterStatus status;

    // write status, write node statuses
    /** A status write failed this round: the next round comes soon to write it. */
    boolean statusUnwritten;

    // schedule the next poll
    Duration nextPoll;

    ClusterRound(HarperCluster cluster, Instant now, Duration pollInterval) {
        this.cluster = cluster;
        this.now = now;
        this.generation = Optional.ofNullable(cluster.getMetadata().getGeneration()).orElse(0L);
        this.pollInterval = pollInterval;
        this.paused = Annotations.isPaused(cluster);
    }

    /** The cluster runs HarperDB pods of its own (spec.instances). */
    boolean managed() {
        return cluster.getSpec().getInstances() != null;
    }

    /** Paused, or its resources cannot be made: the round only reports that. */
    boolean stopped() {
        return paused || configurationProblem != null;
    }

    /** The latest status: the one a previous round could not write, else the cluster's. */
    HarperClusterStatus previousStatus() {
        return unwrittenStatus != null ? unwrittenStatus : cluster.getStatus();
    }

    /** What the status builder reads of this round. */
    ClusterStatusBuilder.Round forStatus() {
        if (stopped()) {
            return ClusterStatusBuilder.Round.stopped(generation, now, paused, configurationProblem);
        }
        return new ClusterStatusBuilder.Round(members.staying(), observations, plan, results, writtenRoutes, generation, now)
                .withLeavingPods(managed() ? stillLeaving : null)
                .withClaimed(claimed)
                .withDraining(List.copyOf(draining.values()));
    }

    String describe() {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }
}
