package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.model.Subscription;
import io.harperdb.replication.plan.Plan;
import io.harperdb.replication.plan.PlannedOperation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The status users read, table-driven: phase, conditions and readyMembers, one row per situation. Ready means every declared member is valid,
 * reachable and linked (seen from either end) to every peer it replicates with, and nothing is left to do.
 */
class ClusterStatusPhaseTest {
    private static final List<Subscription> RECEIVE_ONLY = List.of(Subscription.of("data", "dog", true, false));
    private static final PlannedOperation SOME_OPERATION = new PlannedOperation.AddNode("a", AddNodeRequest.hostname("b"));

    /**
     * @param members     name -> own subscriptions (empty = full)
     * @param connected   "a>b": a reports its link to b connected (every other recorded link is down)
     * @param unreachable members that did not answer (the planner waits for them)
     * @param invalid     members the planner left out, with its reason
     * @param noSecret    members whose credentials could not be read
     * @param results     what was sent this round
     */
    record Row(String situation, Map<String, List<Subscription>> members, Set<String> connected, Set<String> unreachable,
               Map<String, String> invalid, Set<String> noSecret, boolean planned, List<OperationResult> results,
               Phase phase, String readyMembers) {
        @Override
        public String toString() {
            return situation;
        }
    }

    static Stream<Row> rows() {
        Map<String, List<Subscription>> abc = full("a", "b", "c");
        Set<String> mesh = Set.of("a>b", "b>a", "a>c", "c>a", "b>c", "c>b");
        Map<String, List<Subscription>> twoReceivers = new LinkedHashMap<>(full("a"));
        twoReceivers.put("x", RECEIVE_ONLY);
        twoReceivers.put("y", RECEIVE_ONLY);
        return Stream.of(
                new Row("no member declared", Map.of(), Set.of(), Set.of(), Map.of(), Set.of(), false, List.of(), Phase.PENDING, "0/0"),
                new Row("a full mesh, nothing to do", abc, mesh, Set.of(), Map.of(), Set.of(), false, List.of(), Phase.READY, "3/3"),
                // the end that shows no sockets receives nothing from the other (row 29)
                new Row("each link connected at one end only", abc, Set.of("a>b", "c>a", "b>c"), Set.of(), Map.of(), Set.of(), false,
                        List.of(), Phase.DEGRADED, "0/3"),
                new Row("one link connected at one end only", abc, Set.of("a>b", "b>a", "a>c", "c>a", "b>c"), Set.of(), Map.of(), Set.of(),
                        false, List.of(), Phase.DEGRADED, "1/3"),
                new Row("one link down at both ends", abc, Set.of("a>c", "c>a", "b>c", "c>b"), Set.of(), Map.of(), Set.of(), false,
                        List.of(), Phase.DEGRADED, "1/3"),
                new Row("a member unreachable", abc, Set.of("a>b", "b>a"), Set.of("c"), Map.of(), Set.of(), false, List.of(),
                        Phase.DEGRADED, "2/3"),
                // issue 8: linked by hand (or by the healer), yet refused by the planner: not Ready
                new Row("a member the planner judged invalid, though linked", abc, mesh, Set.of(),
                        Map.of("c", "is named c but HarperDB names its connection d"), Set.of(), false, List.of(), Phase.FAILED, "2/3"),
                new Row("a member whose Secret is missing", abc, Set.of("a>b", "b>a"), Set.of("c"), Map.of(), Set.of("c"), false,
                        List.of(), Phase.FAILED, "2/3"),
                new Row("operations planned and sent", abc, Set.of("a>b"), Set.of(), Map.of(), Set.of(), true,
                        List.of(new OperationResult(SOME_OPERATION, Outcome.SUCCESS, "ok")), Phase.RECONCILING, "0/3"),
                new Row("an operation failed", abc, Set.of("a>b"), Set.of(), Map.of(), Set.of(), true,
                        List.of(new OperationResult(SOME_OPERATION, Outcome.SERVER_ERROR, "500")), Phase.DEGRADED, "0/3"),
                new Row("two receive-only members have nothing to exchange", twoReceivers, Set.of("x>a", "y>a"), Set.of(), Map.of(),
                        Set.of(), false, List.of(), Phase.READY, "3/3"),
                new Row("a receive-only member not yet linked to the full one", twoReceivers, Set.of("x>a"), Set.of(), Map.of(),
                        Set.of(), false, List.of(), Phase.DEGRADED, "1/3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void phaseAndReadyMembers(Row row) {
        HarperClusterStatus status = ClusterStatusBuilder.cluster(null, round(row));

        assertThat(status.getPhase()).isEqualTo(row.phase());
        assertThat(status.getReadyMembers()).isEqualTo(row.readyMembers());
        assertThat(status.getConditions()).filteredOn(c -> Conditions.READY.equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo(row.phase() == Phase.READY ? "True" : "False"));
    }

    /**
     * The rounds that are not only about members, through the same one pass: Scaling (a managed cluster), a
     * configuration error, a pause. {@code previous} is a Ready cluster of three.
     *
     * @param round      the round, on top of a full mesh a, b, c with nothing to do
     * @param conditions type -> expected "status/reason" (absent = no such condition)
     */
    record Case(String situation, java.util.function.UnaryOperator<ClusterStatusBuilder.Round> round, Phase phase,
                String readyMembers, Map<String, String> conditions) {
        @Override
        public String toString() {
            return situation;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a managed cluster at its replicas", r -> r.withLeavingPods(List.of()), Phase.READY, "3/3",
                        Map.of(Conditions.READY, "True/AllMembersReady", Conditions.SCALING, "False/AtDesiredReplicas",
                                Conditions.RECONCILED, "True/UpToDate", Conditions.DEGRADED, "False/AllMembersConnected",
                                Conditions.PAUSED, "False/ReconciliationActive")),
                new Case("a managed cluster waiting for a leaving pod to be out of the mesh", r -> r.withLeavingPods(List.of("demo-3")),
                        Phase.RECONCILING, "3/3", Map.of(Conditions.READY, "True/AllMembersReady", Conditions.SCALING, "True/RemovingMembers")),
                new Case("a cluster without managed instances", r -> r, Phase.READY, "3/3", Map.of(Conditions.READY, "True/AllMembersReady")),
                new Case("a configuration error", r -> ClusterStatusBuilder.Round.stopped(2, Instant.EPOCH, false, ConfigurationProblem.of("OPERATOR_IMAGE is bad")),
                        Phase.FAILED, "3/3", Map.of(Conditions.READY, "False/" + ConfigurationError.REASON,
                        Conditions.RECONCILED, "False/" + ConfigurationError.REASON, Conditions.PAUSED, "False/ReconciliationActive",
                        Conditions.DEGRADED, "False/AllMembersConnected")),
                new Case("paused", r -> ClusterStatusBuilder.Round.stopped(2, Instant.EPOCH, true, null), Phase.PAUSED, "3/3",
                        Map.of(Conditions.PAUSED, "True/AnnotationSet", Conditions.READY, "True/AllMembersReady")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneStatusPassForEveryKindOfRound(Case c) {
        Row mesh = rows().filter(r -> r.situation().equals("a full mesh, nothing to do")).findFirst().orElseThrow();
        HarperClusterStatus previous = ClusterStatusBuilder.cluster(null, round(mesh));

        HarperClusterStatus status = ClusterStatusBuilder.cluster(previous, c.round().apply(round(mesh)));

        assertThat(status.getPhase()).isEqualTo(c.phase());
        assertThat(status.getReadyMembers()).as("kept from the previous status when the round stopped").isEqualTo(c.readyMembers());
        c.conditions().forEach((type, expected) -> assertThat(status.getConditions()).filteredOn(x -> type.equals(x.getType()))
                .singleElement().satisfies(x -> assertThat(x.getStatus() + "/" + x.getReason()).as(type).isEqualTo(expected)));
        assertThat(status.getConditions()).extracting(x -> x.getType()).doesNotHaveDuplicates();
        if (!c.conditions().containsKey(Conditions.SCALING)) {
            assertThat(status.getConditions()).noneMatch(x -> Conditions.SCALING.equals(x.getType()));
        }
    }

    @org.junit.jupiter.api.Test
    void linksDownGoToStatusAndBackToThePlanner() {
        Row mesh = rows().filter(r -> r.situation().equals("one link down at both ends")).findFirst().orElseThrow();
        ClusterStatusBuilder.Round round = round(mesh);
        Instant since = Instant.parse("2025-01-01T00:00:00Z");
        List<io.harperdb.replication.plan.LinkDown> down = List.of(new io.harperdb.replication.plan.LinkDown("a", "b", since, since.plusSeconds(30)));
        Plan plan = new Plan(List.of(), Set.of(), Set.of(), Set.of(), Set.of(), Map.of(), down);
        HarperClusterStatus status = ClusterStatusBuilder.cluster(null, new ClusterStatusBuilder.Round(round.members(), round.observations(),
                plan, List.of(), Map.of(), 1, since.plusSeconds(60)));

        assertThat(status.getLinksDown()).singleElement().satisfies(l -> {
            assertThat(l.getSince()).isEqualTo("2025-01-01T00:00:00Z");
            assertThat(l.getLastHealAttempt()).isEqualTo("2025-01-01T00:00:30Z");
        });
        assertThat(ClusterStatusBuilder.linksDown(status)).isEqualTo(down);
        assertThat(ClusterStatusBuilder.cluster(status, round).getLinksDown()).as("none down: none kept").isNull();
    }

    private static ClusterStatusBuilder.Round round(Row row) {
        List<ClusterMember> members = new ArrayList<>();
        Map<String, MemberObservation> observations = new HashMap<>();
        row.members().forEach((name, subscriptions) -> {
            boolean secret = !row.noSecret().contains(name);
            members.add(new ClusterMember(name, name, null, "http://" + name + ":9925", false, false, subscriptions,
                    secret ? new MemberCredentials("admin", "pw") : null, secret ? null : "Secret of " + name + " not found", name));
            if (!row.unreachable().contains(name)) {
                List<PeerConnection> peers = new ArrayList<>();
                for (String peer : row.members().keySet()) {
                    if (peer.equals(name)) continue;
                    boolean connected = row.connected().contains(name + ">" + peer);
                    DatabaseSocket socket = new DatabaseSocket("data", connected, null, null, null, null, null, null, null, null, null, null);
                    peers.add(new PeerConnection(peer, "wss://" + peer + ":9933", true, null, List.of(socket)));
                }
                observations.put(name, MemberObservation.answered(name, new ClusterStatus(name, "wss://" + name + ":9933", true, peers), List.of()));
            } else {
                observations.put(name, MemberObservation.failed(name, Outcome.UNREACHABLE, "connection refused"));
            }
        });
        Plan plan = new Plan(row.planned() ? List.of(SOME_OPERATION) : List.of(), Set.of(), row.unreachable(), Set.of(), Set.of(),
                row.invalid());
        return new ClusterStatusBuilder.Round(members, observations, plan, row.results(), Map.of(), 1, Instant.EPOCH);
    }

    private static Map<String, List<Subscription>> full(String... names) {
        Map<String, List<Subscription>> members = new LinkedHashMap<>();
        for (String n : names) members.put(n, List.of());
        return members;
    }
}
