package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.harperdb.operator.api.ConnectionStatus;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Ready cluster of three members, polled every second by the operator on the mock API: at idle each member is read at
 * most 1.2 times per poll (cluster_status once, records and routes every {@link ClusterObserver#SLOW_EVERY}th poll),
 * nothing is written to HarperDB or Kubernetes; changes made outside the operator that it cannot see still show within
 * the slow cadence: routes loaded after an unseen restart, and a record removed while cluster_status still lists it.
 */
class IdleReadsEndToEndTest {
    private static final List<String> NAMES = List.of("m1.example.com", "m2.example.com", "m3.example.com");

    private MockKubernetes kubernetes;
    private RunningOperator operator;
    private final List<StandIn> members = new ArrayList<>();

    @BeforeEach
    void start() {
        kubernetes = new MockKubernetes();
        operator = new RunningOperator(kubernetes);
        for (String name : NAMES) {
            members.add(new StandIn(name, NAMES.stream().filter(n -> !n.equals(name)).toList(), true));
        }
    }

    @AfterEach
    void stop() throws Exception {
        operator.close();
        kubernetes.close();
        for (StandIn m : members) {
            m.close();
        }
    }

    @Test
    void idlePollsReadEachMemberAtMostOnePointTwoTimesAndChangesShowWithinTheSlowCadence() throws Exception {
        kubernetes.client().resource(Resources.secret("admin", "admin", "pw")).create();
        for (int i = 0; i < NAMES.size(); i++) {
            kubernetes.client().resource(Resources.node("m" + (i + 1), "demo", NAMES.get(i), members.get(i).url(), "admin")).create();
        }
        HarperCluster cluster = Resources.cluster("demo");
        cluster.getSpec().setPollInterval("1s");
        kubernetes.client().resource(cluster).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> phase() == Phase.READY);
        pollsOfEveryMember(2);    // the round after Ready reads with the cluster settled

        // idle: N polls of every member
        List<Map<String, Long>> before = members.stream().map(IdleReadsEndToEndTest::reads).toList();
        String resourceVersion = cluster().getMetadata().getResourceVersion();
        int polls = 2 * ClusterObserver.SLOW_EVERY;
        pollsOfEveryMember(polls);
        for (int i = 0; i < members.size(); i++) {
            Map<String, Long> now = reads(members.get(i));
            long statusReads = now.get("cluster_status") - before.get(i).get("cluster_status");
            long reads = now.values().stream().mapToLong(Long::longValue).sum() - before.get(i).values().stream().mapToLong(Long::longValue).sum();
            assertThat((double) reads / statusReads).as("reads per poll of %s (%d reads, %d polls)", NAMES.get(i), reads, statusReads)
                    .isLessThanOrEqualTo(1.2);
            assertThat(members.get(i).operations().stream().filter(o -> !HarperOperationLog.READS.contains(o)))
                    .as("nothing written to %s", NAMES.get(i)).isEmpty();
        }
        assertThat(cluster().getMetadata().getResourceVersion()).as("no Kubernetes write at idle").isEqualTo(resourceVersion);

        // m1 restarted outside the operator's sight with a route in its config: it shows within the slow cadence
        StandIn m1 = members.get(0);
        m1.routes(List.of("wss://other.example.com:9933"));
        long from = m1.count("cluster_status");
        await().atMost(Duration.ofSeconds(30)).until(() -> m1.count("cluster_delete_routes") > 0);
        assertThat(m1.count("cluster_status") - from).as("polls until the route loaded is removed").isLessThanOrEqualTo(ClusterObserver.SLOW_EVERY + 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> phase() == Phase.READY);
        pollsOfEveryMember(2);
        // m2's record of m3 removed outside; m2's cluster_status still lists m3 (it lags removals)
        StandIn m2 = members.get(1);
        m2.recordPeers(List.of("m1.example.com"));
        long from2 = m2.count("cluster_status");
        await().atMost(Duration.ofSeconds(30)).until(() -> !connections("m2.example.com").contains("m3.example.com"));
        assertThat(m2.count("cluster_status") - from2).as("polls until the status shows the record gone")
                .isLessThanOrEqualTo(ClusterObserver.SLOW_EVERY + 1);
    }

    /** Waits until every member was sent cluster_status {@code polls} more times. */
    private void pollsOfEveryMember(int polls) {
        List<Long> start = members.stream().map(m -> m.count("cluster_status")).toList();
        await().atMost(Duration.ofSeconds(10L + 3L * polls)).until(() -> {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).count("cluster_status") - start.get(i) < polls) {
                    return false;
                }
            }
            return true;
        });
    }

    private static Map<String, Long> reads(StandIn m) {
        return Map.of("cluster_status", m.count("cluster_status"), "search_by_value", m.count("search_by_value"),
                "cluster_get_routes", m.count("cluster_get_routes"));
    }

    private List<String> connections(String member) {
        HarperCluster c = cluster();
        if (c.getStatus() == null || c.getStatus().getMembers() == null) {
            return List.of();
        }
        return c.getStatus().getMembers().stream().filter(m -> member.equals(m.getName())).findFirst()
                .map(MemberStatus::getConnections).orElse(List.of()).stream().map(ConnectionStatus::getName).toList();
    }

    private HarperCluster cluster() {
        return kubernetes.client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get();
    }

    private Phase phase() {
        HarperCluster c = cluster();
        return c == null || c.getStatus() == null ? null : c.getStatus().getPhase();
    }
}
