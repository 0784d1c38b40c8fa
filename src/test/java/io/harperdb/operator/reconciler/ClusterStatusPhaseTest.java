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
 * The cluster's phase and readyMembers, one row per situation. Ready means every declared member is valid,
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
                new Row("each link connected at one end only", abc, Set.of("a>b", "c>a", "b>c"), Set.of(), Map.of(), Set.of(), false,
                        List.of(), Phase.READY, "3/3"),
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
