package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One cluster's hung members (they accept connections and never answer) do not delay another cluster's rounds:
 * the other cluster gets Ready within the stated bound while the first one's members time out
 * (docs/reference.md, "Guarantees and limits").
 */
class FaultIsolationTest {
    /** Hung members of the stuck cluster: more than the 8 threads all clusters once shared. */
    private static final int HUNG_MEMBERS = 20;
    /** A healthy cluster's first round, whatever the other clusters' members do. */
    private static final Duration BOUND = Duration.ofSeconds(8);

    @RegisterExtension
    final OperatorOnMockApi api = new OperatorOnMockApi();



    @Test
    void aClusterOfHungMembersDoesNotDelayAnotherClustersRound() throws Exception {
        try (HungServer hung = new HungServer();
             StandIn a = new StandIn("a.example.com", List.of("b.example.com"), true);
             StandIn b = new StandIn("b.example.com", List.of("a.example.com"), true)) {
            api.kubernetes().client().resource(Resources.secret("admin", "admin", "pw")).create();
            api.kubernetes().client().resource(Resources.cluster("stuck")).create();
            for (int i = 0; i < HUNG_MEMBERS; i++) {
                api.kubernetes().client().resource(Resources.node("hung-" + i, "stuck", "hung-" + i + ".example.com", hung.url(), "admin"))
                        .create();
            }
            // the stuck cluster's round is waiting on its hung members (each a read timeout of 10 s)
            await().atMost(Duration.ofSeconds(20)).until(() -> hung.accepted() >= 8);

            long start = System.nanoTime();
            api.kubernetes().client().resource(Resources.cluster("healthy")).create();
            api.kubernetes().client().resource(Resources.node("a", "healthy", "a.example.com", a.url(), "admin")).create();
            api.kubernetes().client().resource(Resources.node("b", "healthy", "b.example.com", b.url(), "admin")).create();
            await().atMost(BOUND.plusSeconds(20)).until(() -> phase("healthy") == Phase.READY);
            Duration healthyAfter = Duration.ofNanos(System.nanoTime() - start);

            assertThat(healthyAfter).as("the healthy cluster's round did not wait for the stuck one's members").isLessThan(BOUND);
            assertThat(phase("stuck")).isNotEqualTo(Phase.READY);
        }
    }

    private Phase phase(String cluster) {
        HarperCluster c = api.kubernetes().client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName(cluster).get();
        return c == null || c.getStatus() == null ? null : c.getStatus().getPhase();
    }
}
