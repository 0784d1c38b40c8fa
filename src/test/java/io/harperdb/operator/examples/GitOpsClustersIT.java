package io.harperdb.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.pods.PodContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/gitops/clusters/} as Argo CD or Flux applies it: every file that its kustomization.yaml
 * lists under resources, as written (no patches there), after the admin Secret the comment says comes from
 * the user's secret store. Not the quick start: demo.yaml leaves resources, sidecar, replication and
 * pollInterval at their defaults. Each cluster reaches Ready with all its instances.
 */
class GitOpsClustersIT {
    private static final Path FOLDER = Path.of("examples/gitops/clusters");

    private PodContract k8s;

    @BeforeEach
    void start() {
        k8s = new PodContract(Path.of("target/pod-contract/gitops-clusters"));
    }

    @AfterEach
    void stop() {
        k8s.close();
    }

    @Test
    void theClustersFolderReachesReady() throws IOException {
        JsonNode kustomization = new ObjectMapper(new YAMLFactory()).readTree(FOLDER.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.path("patches").isMissingNode() && kustomization.path("patchesStrategicMerge").isMissingNode())
                .as("applied as written: the folder's kustomization has no patches").isTrue();
        List<Path> resources = new ArrayList<>();
        kustomization.path("resources").forEach(r -> resources.add(FOLDER.resolve(r.asText())));
        assertThat(resources).as("the resources of %s", FOLDER).containsExactly(FOLDER.resolve("demo.yaml"));

        k8s.createAdminSecret("demo-admin");
        resources.forEach(k8s::apply);

        await("demo Ready 3/3").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HarperCluster demo = k8s.cluster("demo");
            assertThat(demo.getStatus()).isNotNull();
            assertThat(demo.getStatus().getPhase()).as("%s", demo.getStatus()).isEqualTo(Phase.READY);
            assertThat(demo.getStatus().getReadyMembers()).isEqualTo("3/3");
        });
    }
}
