package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.resources.MemberAddress;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator's /metrics has each cluster's gauges once it has reconciled it, and drops them once it is deleted. */
class ClusterMetricsOnMockApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private MockKubernetes kubernetes;
    private KubernetesClient user;
    private RunningOperator operator;

    @BeforeEach
    void start() {
        kubernetes = new MockKubernetes();
        user = kubernetes.newUserClient();
        // pods that answer nowhere: members stay unreachable, so not ready
        operator = new RunningOperator(kubernetes, new HarperClientFactory(RunningOperator.TEST_TIMEOUTS),
                (cluster, ordinal) -> new MemberAddress(cluster.getMetadata().getName() + "-" + ordinal,
                        cluster.getMetadata().getName() + "-" + ordinal, cluster.getMetadata().getName() + "-" + ordinal,
                        "http://127.0.0.1:1"));
    }

    @AfterEach
    void stop() {
        operator.close();
        user.close();
        kubernetes.close();
    }

    @Test
    void eachClusterHasItsGaugesWhileItExists() {
        HarperCluster demo = user.resource(ManagedResourcesTest.managedCluster("demo", 3)).create();

        await().atMost(WAIT).until(() -> operator.registry().scrape(), s -> s.contains(series("harperdb_operator_cluster_members", "demo") + " 3.0"));
        String scrape = operator.registry().scrape();
        assertThat(scrape).contains(series("harperdb_operator_cluster_ready_members", "demo") + " 0.0")
                .contains(series("harperdb_operator_cluster_ready", "demo") + " 0.0")
                .contains(series("harperdb_operator_cluster_credentials_refused", "demo") + " 0.0")
                .contains(series("harperdb_operator_cluster_routes_pending_restart", "demo"));

        user.resource(demo).delete();
        await().atMost(WAIT).until(() -> user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get() == null);
        user.resource(ManagedResourcesTest.managedCluster("other", 1)).create();

        // the next round of another cluster drops the deleted one's
        await().atMost(WAIT).until(() -> operator.registry().scrape(), s -> s.contains(series("harperdb_operator_cluster_members", "other"))
                && !s.contains(series("harperdb_operator_cluster_members", "demo")));
        assertThat(operator.registry().scrape()).doesNotContain(series("harperdb_operator_cluster_routes_pending_restart", "demo"));
    }

    private static String series(String name, String cluster) {
        return name + "{cluster=\"" + cluster + "\",namespace=\"" + NAMESPACE + "\"}";
    }
}
