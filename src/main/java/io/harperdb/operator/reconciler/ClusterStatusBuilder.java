package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.harperdb.operator.api.ConnectionStatus;
import io.harperdb.operator.api.DatabaseSocketStatus;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.HarperNodeStatus;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.ObservedSubscription;
import io.harperdb.operator.api.Phase;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.plan.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds the status of a HarperCluster and of its HarperNodes from one reconciliation round: what
 * the members answered, what was planned and what became of it. Pure, so that an unchanged cluster
 * yields an equal status and nothing is written. Volatile figures (latency, timestamps) are not kept.
 */
public final class ClusterStatusBuilder {
    private ClusterStatusBuilder() {
    }

    /** Everything one round learned. */
    public record Round(List<ClusterMember> members, Map<String, MemberObservation> observations, Plan plan,
                        List<OperationResult> results, Map<String, List<io.harperdb.operator.api.Route>> writtenRoutes,
                        long generation, Instant now) {
    }

    public static HarperClusterStatus cluster(HarperClusterStatus previous, Round round) {
        List<String> names = round.members().stream().map(ClusterMember::name).toList();
        ClusterHealth health = new ClusterHealth(names, round.observations());
        List<String> credentialProblems = credentialProblems(round);
        List<String> failures = round.results().stream().filter(r -> !r.succeeded())
                .map(OperationResult::message).toList();
        List<String> healthProblems = health.problems();
        boolean sent = round.results().stream().anyMatch(r -> !r.skipped());
        long ready = health.readyCount();

        Phase phase;
        if (names.isEmpty()) {
            phase = Phase.PENDING;
        } else if (!credentialProblems.isEmpty()) {
            phase = Phase.FAILED;
        } else if (sent || !round.plan().isEmpty()) {
            phase = failures.isEmpty() ? Phase.RECONCILING : Phase.DEGRADED;
        } else if (ready == names.size() && round.plan().waitingFor().isEmpty()) {
            phase = Phase.READY;
        } else {
            phase = Phase.DEGRADED;
        }

        List<Condition> conditions = new ArrayList<>();
        long gen = round.generation();
        conditions.add(phase == Phase.READY
                ? Conditions.of(Conditions.READY, true, "AllMembersReady", ready + " of " + names.size() + " members connected to all others", gen)
                : Conditions.of(Conditions.READY, false, names.isEmpty() ? "NoMembers" : "MembersNotReady",
                names.isEmpty() ? "no HarperNode names this cluster" : ready + " of " + names.size() + " members ready", gen));
        conditions.add(reconciled(round, credentialProblems, failures, gen));
        conditions.add(healthProblems.isEmpty()
                ? Conditions.of(Conditions.DEGRADED, false, "AllMembersConnected", "every member reachable and connected", gen)
                : Conditions.of(Conditions.DEGRADED, true, "MembersUnavailable", String.join("; ", healthProblems), gen));
        conditions.add(Conditions.of(Conditions.PAUSED, false, "ReconciliationActive", "", gen));
        if (!round.plan().strays().isEmpty()) {
            conditions.add(Conditions.of(Conditions.UNKNOWN_NODES, true, "NodesNotDeclared",
                    "nodes no resource declares: " + String.join(", ", new TreeSet<>(round.plan().strays()))
                            + " (set spec.replication.pruneUnknownNodes to remove them)", gen));
        }

        HarperClusterStatus status = new HarperClusterStatus();
        status.setObservedGeneration(gen);
        status.setPhase(phase);
        status.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), conditions, round.now()));
        status.setReadyMembers(ready + "/" + names.size());
        status.setMembers(round.members().stream()
                .map(m -> memberStatus(m, round.observations().get(m.name()), round.writtenRoutes().get(m.name())))
                .toList());
        List<String> pending = new ArrayList<>(new TreeSet<>(round.plan().routesPendingRestart()));
        status.setRoutesPendingRestart(pending.isEmpty() ? null : pending);
        return status;
    }

    /**
     * The status of a cluster with managed instances, with its Scaling condition: True while the StatefulSet
     * keeps pods that are being removed from the mesh before it shrinks (phase Reconciling meanwhile).
     */
    public static HarperClusterStatus withScaling(HarperClusterStatus previous, HarperClusterStatus status, List<String> leavingPods,
                                                  long generation, Instant now) {
        Condition scaling = leavingPods.isEmpty()
                ? Conditions.of(Conditions.SCALING, false, "AtDesiredReplicas", "", generation)
                : Conditions.of(Conditions.SCALING, true, "RemovingMembers",
                "removing " + String.join(", ", leavingPods) + " from the mesh before scaling down", generation);
        HarperClusterStatus result = copy(status);
        List<Condition> conditions = new ArrayList<>(result.getConditions());
        conditions.addAll(Conditions.merge(previous == null ? null : previous.getConditions(), List.of(scaling), now));
        result.setConditions(conditions);
        if (!leavingPods.isEmpty() && result.getPhase() == Phase.READY) {
            result.setPhase(Phase.RECONCILING);
        }
        return result;
    }

    /** The status of a paused cluster: the previous one, with phase Paused and the Paused condition. */
    public static HarperClusterStatus paused(HarperClusterStatus previous, long generation, Instant now) {
        HarperClusterStatus status = previous == null ? new HarperClusterStatus() : copy(previous);
        List<Condition> conditions = new ArrayList<>(previous == null || previous.getConditions() == null
                ? List.of() : previous.getConditions().stream().filter(c -> !Conditions.PAUSED.equals(c.getType())).toList());
        conditions.add(Conditions.of(Conditions.PAUSED, true, "AnnotationSet",
                "annotation " + Annotations.PAUSE + " is \"true\": nothing is written", generation));
        status.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), conditions, now));
        status.setPhase(Phase.PAUSED);
        return status;
    }

    public static HarperNodeStatus node(HarperNodeStatus previous, ClusterMember member, Round round, long generation) {
        List<String> names = round.members().stream().map(ClusterMember::name).toList();
        ClusterHealth health = new ClusterHealth(names, round.observations());
        MemberObservation observation = round.observations().get(member.name());
        Phase phase;
        Condition ready;
        if (!member.hasCredentials()) {
            phase = Phase.FAILED;
            ready = Conditions.of(Conditions.READY, false, "CredentialsUnavailable", member.credentialsProblem(), generation);
        } else if (observation != null && (observation.failure() == Outcome.UNAUTHORIZED || observation.failure() == Outcome.FORBIDDEN)) {
            phase = Phase.FAILED;
            ready = Conditions.of(Conditions.READY, false, "AuthenticationFailed", observation.failureMessage(), generation);
        } else if (!health.reachable(member.name())) {
            phase = Phase.DEGRADED;
            ready = Conditions.of(Conditions.READY, false, "Unreachable",
                    observation == null ? "not observed" : observation.failureMessage(), generation);
        } else if (health.ready(member.name()) && round.plan().isEmpty()) {
            phase = Phase.READY;
            ready = Conditions.of(Conditions.READY, true, "Connected", "connected to every reachable member", generation);
        } else {
            phase = Phase.RECONCILING;
            ready = Conditions.of(Conditions.READY, false, "Joining", "not yet connected to every reachable member", generation);
        }
        HarperNodeStatus status = new HarperNodeStatus();
        status.setObservedGeneration(generation);
        status.setPhase(phase);
        status.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), List.of(ready), round.now()));
        status.setConnections(observation == null || observation.status() == null ? null : connections(observation));
        return status;
    }

    private static Condition reconciled(Round round, List<String> credentialProblems, List<String> failures, long gen) {
        if (!credentialProblems.isEmpty()) {
            return Conditions.of(Conditions.RECONCILED, false, "CredentialsUnavailable", String.join("; ", credentialProblems), gen);
        }
        if (!failures.isEmpty()) {
            return Conditions.of(Conditions.RECONCILED, false, "OperationsFailed", String.join("; ", failures), gen);
        }
        if (!round.plan().invalid().isEmpty()) {
            return Conditions.of(Conditions.RECONCILED, false, "InvalidMembers", round.plan().invalid().toString(), gen);
        }
        if (!round.results().isEmpty()) {
            return Conditions.of(Conditions.RECONCILED, true, "OperationsApplied", round.results().size() + " operations sent", gen);
        }
        if (!round.plan().waitingFor().isEmpty()) {
            return Conditions.of(Conditions.RECONCILED, false, "WaitingForMembers",
                    "waiting for unreachable members: " + String.join(", ", new TreeSet<>(round.plan().waitingFor())), gen);
        }
        return Conditions.of(Conditions.RECONCILED, true, "UpToDate", "the members' replication matches the spec", gen);
    }

    private static List<String> credentialProblems(Round round) {
        List<String> problems = new ArrayList<>();
        for (ClusterMember m : round.members()) {
            MemberObservation o = round.observations().get(m.name());
            if (!m.hasCredentials()) {
                problems.add(m.credentialsProblem());
            } else if (o != null && (o.failure() == Outcome.UNAUTHORIZED || o.failure() == Outcome.FORBIDDEN)) {
                problems.add("member " + m.name() + " refused the credentials of its Secret: " + o.failure());
            }
        }
        return problems;
    }

    private static MemberStatus memberStatus(ClusterMember member, MemberObservation observation,
                                             List<io.harperdb.operator.api.Route> writtenRoutes) {
        MemberStatus status = new MemberStatus();
        status.setName(member.name());
        boolean reachable = observation != null && observation.reachable();
        status.setUrl(reachable && observation.status().url() != null ? observation.status().url() : member.url());
        status.setReachable(reachable);
        status.setConnections(reachable ? connections(observation) : null);
        status.setWrittenRoutes(writtenRoutes == null || writtenRoutes.isEmpty() ? null : writtenRoutes);
        return status;
    }

    private static List<ConnectionStatus> connections(MemberObservation observation) {
        return observation.status().peers().stream()
                .sorted(Comparator.comparing(p -> String.valueOf(p.name())))
                .map(ClusterStatusBuilder::connection)
                .toList();
    }

    private static ConnectionStatus connection(PeerConnection peer) {
        ConnectionStatus c = new ConnectionStatus();
        c.setName(peer.name());
        c.setUrl(peer.url());
        c.setReplicates(peer.replicates());
        c.setSubscriptions(peer.subscriptions() == null ? null : peer.subscriptions().stream()
                .map(s -> new ObservedSubscription(s.database(), s.table(), s.subscribe(), s.publish()))
                .toList());
        c.setConnected(peer.isConnected());
        c.setDatabases(peer.sockets().stream()
                .sorted(Comparator.comparing(s -> String.valueOf(s.database())))
                .map(s -> {
                    DatabaseSocketStatus d = new DatabaseSocketStatus();
                    d.setDatabase(s.database());
                    d.setConnected(s.isConnected());
                    d.setBackPressurePercent(s.backPressurePercent());
                    d.setLastReceivedStatus(s.lastReceivedStatus());
                    return d;
                })
                .toList());
        return c;
    }

    private static HarperClusterStatus copy(HarperClusterStatus s) {
        return StatusComparison.MAPPER.convertValue(s, HarperClusterStatus.class);
    }
}
