package io.harperdb.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.pods.PodContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/routes.yaml} as written, with the Secret command of its comment: the two managed instances
 * get the routes written into their configuration, and status.routesPendingRestart lists both until they
 * restart. The user restarts them (deletes the pods; the StatefulSet recreates them on the same volumes):
 * the list clears, and cluster_get_routes on a pod answers the three routes.
 */
class RoutesIT {
    private static final List<String> ROUTE_HOSTS = List.of("hdb-us-east-1.example.com", "hdb-ap-south-1.example.com",
            "hdb-eu-west-1.example.com");

    private PodContract k8s;

    @BeforeEach
    void start() {
        k8s = new PodContract(Path.of("target/pod-contract/routes"));
    }

    @AfterEach
    void stop() {
        k8s.close();
    }

    @Test
    void routesArePendingUntilTheInstancesRestartThenTheyAreLoaded() {
        String password = k8s.createAdminSecret("edge-admin");
        k8s.apply(Path.of("examples/routes.yaml"));
        List<String> members = List.of(k8s.podHost("edge-0", "edge"), k8s.podHost("edge-1", "edge"));

        await("routes pending restart on both instances").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    HarperCluster edge = k8s.cluster("edge");
                    assertThat(edge.getStatus()).isNotNull();
                    assertThat(edge.getStatus().getRoutesPendingRestart()).as("%s", edge.getStatus())
                            .containsExactlyInAnyOrderElementsOf(members);
                });

        // The user's restart: delete the pods; the StatefulSet controller recreates them.
        k8s.user().pods().inNamespace(PodContract.NAMESPACE).withName("edge-0").delete();
        k8s.user().pods().inNamespace(PodContract.NAMESPACE).withName("edge-1").delete();

        await("edge Ready 2/2 with no route pending").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    HarperCluster edge = k8s.cluster("edge");
                    assertThat(edge.getStatus().getRoutesPendingRestart()).as("%s", edge.getStatus()).isNullOrEmpty();
                    assertThat(edge.getStatus().getPhase()).as("%s", edge.getStatus()).isEqualTo(Phase.READY);
                    assertThat(edge.getStatus().getReadyMembers()).isEqualTo("2/2");
                });
        assertThat(k8s.kubelet().events()).contains("stop edge-0", "stop edge-1");
        for (String pod : List.of("edge-0", "edge-1")) {
            JsonNode routes = k8s.call("http://" + k8s.podHost(pod, "edge") + ":9925", "admin", password,
                    Map.of("operation", "cluster_get_routes"));
            assertThat(routes.toString()).as("cluster_get_routes on %s", pod).contains(ROUTE_HOSTS);
        }
    }
}
