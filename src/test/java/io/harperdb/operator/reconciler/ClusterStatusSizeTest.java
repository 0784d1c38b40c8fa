package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.plan.LinkDown;
import io.harperdb.replication.plan.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * A large cluster's status stays well under the API server's object limit (about 1.5 MiB): past 16 members each
 * member's links are counted, not listed, links down and condition messages are capped; Ready and Degraded are
 * still judged on every link observed.
 */
class ClusterStatusSizeTest {
    /** The bound docs/reference.md states ("Guarantees and limits"). */
    private static final int MAX_STATUS_BYTES = 256 * 1024;
    private static final Instant NOW = Instant.parse("2025-01-01T00:10:00Z");
    /** Databases each link carries, as cluster_status lists its sockets. */
    private static final List<String> DATABASES = List.of("data", "analytics", "system");

    @Test
    void fiftyPodsAndTwoHundredUrlMembersAllConnectedStayUnderTheBoundAndReady() {
        List<ClusterMember> members = largeCluster();
        HarperClusterStatus status = ClusterStatusBuilder.cluster(null, round(members, (a, b) -> true, List.of()));

        assertThat(jsonBytes(status)).isLessThan(MAX_STATUS_BYTES);
        assertThat(status.getPhase()).isEqualTo(Phase.READY);
        assertThat(status.getReadyMembers()).isEqualTo("250/250");
        assertThat(status.getMembers()).hasSize(250).allSatisfy(m -> {
            assertThat(m.getConnections()).isNull();
            assertThat(m.getConnectionSummary().getConnected()).isEqualTo(249);
            assertThat(m.getConnectionSummary().getNotConnected()).isZero();
            assertThat(m.getConnectionSummary().getNotConnectedPeers()).isNull();
        });
    }

    @Test
    void everyLinkDownStaysUnderTheBoundWithLinksDownAndMessagesCapped() {
        List<ClusterMember> members = largeCluster();
        List<LinkDown> down = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                // the later pairs went down earlier: status keeps those down longest
                down.add(new LinkDown(members.get(i).name(), members.get(j).name(), NOW.minusSeconds(i * 1000L + j), null));
            }
        }
        HarperClusterStatus status = ClusterStatusBuilder.cluster(null, round(members, (a, b) -> false, down));

        assertThat(jsonBytes(status)).isLessThan(MAX_STATUS_BYTES);
        assertThat(status.getPhase()).isEqualTo(Phase.DEGRADED);
        assertThat(status.getLinksDown()).hasSize(ClusterStatusBuilder.LINKS_DOWN_KEPT);
        assertThat(status.getLinksDown().get(0).getSince()).as("the longest down first")
                .isEqualTo(down.stream().map(LinkDown::since).min(Instant::compareTo).orElseThrow().toString());
        Condition degraded = condition(status, Conditions.DEGRADED);
        assertThat(degraded.getMessage()).hasSizeLessThanOrEqualTo(ClusterStatusBuilder.MESSAGE_MAX_CHARS)
                .endsWith("and " + (250 * 249 / 2 - ClusterStatusBuilder.MESSAGE_ITEMS) + " more");
        assertThat(status.getMembers()).allSatisfy(m -> {
            assertThat(m.getConnectionSummary().getNotConnected()).isEqualTo(249);
            assertThat(m.getConnectionSummary().getNotConnectedPeers()).hasSize(ClusterStatusBuilder.NOT_CONNECTED_NAMED);
        });
    }

    @Test
    void readyIsJudgedOnEveryLinkObservedNotOnTheSummary() {
        List<ClusterMember> members = largeCluster();
        String first = members.get(0).name();
        String last = members.get(49).name();
        // first's link to last is down at both ends; first also reports six other links down at its end only (first
        // receives nothing over them, so they are down too), whose names sort before last's: its summary does not name last
        Set<String> halfDown = Set.of(members.get(50).name(), members.get(51).name(), members.get(52).name(), members.get(53).name(),
                members.get(54).name(), members.get(55).name());
        BiPredicate<String, String> connected = (from, to) -> !(from.equals(first) && (to.equals(last) || halfDown.contains(to)))
                && !(from.equals(last) && to.equals(first));

        HarperClusterStatus status = ClusterStatusBuilder.cluster(null, round(members, connected, List.of()));

        MemberStatus firstStatus = status.getMembers().stream().filter(m -> m.getName().equals(first)).findFirst().orElseThrow();
        assertThat(firstStatus.getConnectionSummary().getNotConnected()).isEqualTo(7);
        assertThat(firstStatus.getConnectionSummary().getNotConnectedPeers()).hasSize(5).doesNotContain(last);
        assertThat(status.getPhase()).isEqualTo(Phase.DEGRADED);
        // first, last and the six: none of them is linked both ways to every other
        assertThat(status.getReadyMembers()).isEqualTo("242/250");
        assertThat(condition(status, Conditions.DEGRADED).getMessage()).contains("link " + first + " <-> " + last + " is not connected");
    }

    @Test
    void sixteenMembersAreListedSeventeenCounted() {
        HarperClusterStatus sixteen = ClusterStatusBuilder.cluster(null, round(largeCluster().subList(0, 16), (a, b) -> true, List.of()));
        assertThat(sixteen.getMembers()).allSatisfy(m -> {
            assertThat(m.getConnections()).hasSize(15);
            assertThat(m.getConnectionSummary()).isNull();
        });
        HarperClusterStatus seventeen = ClusterStatusBuilder.cluster(null, round(largeCluster().subList(0, 17), (a, b) -> true, List.of()));
        assertThat(seventeen.getMembers()).allSatisfy(m -> {
            assertThat(m.getConnections()).isNull();
            assertThat(m.getConnectionSummary().getConnected()).isEqualTo(16);
        });
    }

    @Test
    void sixteenMembersWithManySubscriptionsAreCountedWhenTheirListsWouldPassTheirBudget() {
        List<io.harperdb.replication.model.Subscription> many = new ArrayList<>();
        for (int t = 0; t < 128; t++) {
            many.add(io.harperdb.replication.model.Subscription.of("data", "table_" + t, true, true));
        }
        ClusterStatusBuilder.Round round = round(largeCluster().subList(0, 16), (a, b) -> true, List.of());
        Map<String, MemberObservation> observations = new HashMap<>();
        round.observations().forEach((name, o) -> observations.put(name, MemberObservation.answered(name, new ClusterStatus(
                name, o.status().url(), true, o.status().peers().stream()
                .map(p -> new PeerConnection(p.name(), p.url(), false, many, p.sockets())).toList()), List.of())));

        HarperClusterStatus status = ClusterStatusBuilder.cluster(null, new ClusterStatusBuilder.Round(round.members(), observations,
                round.plan(), List.of(), Map.of(), 1, NOW));

        assertThat(jsonBytes(status)).isLessThan(MAX_STATUS_BYTES);
        assertThat(status.getMembers()).allSatisfy(m -> assertThat(m.getConnections()).isNull());
    }

    /** 50 pods of a managed cluster (the replicas maximum) and 200 members declared by url. */
    private static List<ClusterMember> largeCluster() {
        List<ClusterMember> members = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String host = "orders-" + i + ".orders-hdb.harperdb-production.svc";
            members.add(new ClusterMember(host, host, null, "http://" + host + ":9925", false, false, List.of(),
                    new MemberCredentials("admin", "pw"), null, "orders-" + i));
        }
        for (int i = 0; i < 200; i++) {
            String host = String.format("edge-%03d.eu-west-1.orders.example.com", i);
            members.add(new ClusterMember(host, null, "wss://" + host + ":9933", "https://" + host + ":9925", false, false, List.of(),
                    new MemberCredentials("admin", "pw"), null, String.format("edge-%03d", i)));
        }
        return members;
    }

    /** Every member answered and reports every other; {@code connected} says which of its links it reports up. */
    private static ClusterStatusBuilder.Round round(List<ClusterMember> members, BiPredicate<String, String> connected,
                                                    List<LinkDown> linksDown) {
        Map<String, MemberObservation> observations = new HashMap<>();
        for (ClusterMember m : members) {
            List<PeerConnection> peers = new ArrayList<>();
            for (ClusterMember peer : members) {
                if (peer == m) continue;
                boolean up = connected.test(m.name(), peer.name());
                List<DatabaseSocket> sockets = DATABASES.stream()
                        .map(d -> new DatabaseSocket(d, up, 1.5, null, null, null, null, null, null, null, null, null)).toList();
                peers.add(new PeerConnection(peer.name(), "wss://" + peer.name() + ":9933", true, null, sockets));
            }
            observations.put(m.name(), MemberObservation.answered(m.name(),
                    new ClusterStatus(m.name(), "wss://" + m.name() + ":9933", true, peers), List.of()));
        }
        Plan plan = new Plan(List.of(), Set.of(), Set.of(), Set.of(), Set.of(), Map.of(), linksDown);
        return new ClusterStatusBuilder.Round(members, observations, plan, List.of(), Map.of(), 1, NOW);
    }

    private static int jsonBytes(HarperClusterStatus status) {
        try {
            return StatusComparison.MAPPER.writeValueAsBytes(status).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Condition condition(HarperClusterStatus status, String type) {
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
