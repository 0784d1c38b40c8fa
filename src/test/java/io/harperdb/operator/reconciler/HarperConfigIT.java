package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.TemplateHash;
import io.harperdb.operator.testing.pods.PodContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * instances.config on a real HarperDB 4.7.29, run from the pod the operator generates (pod-contract tier):
 * get_configuration answers the configured values; a changed config restarts the pod, applies the new keys
 * and gives a removed key back its earlier value (HARPER_SET_CONFIG keeps what it replaced in the root path).
 */
class HarperConfigIT {
    private PodContract k8s;

    @BeforeEach
    void start() {
        k8s = new PodContract(Path.of("target/pod-contract/harper-config"));
    }

    @AfterEach
    void stop() {
        k8s.close();
    }

    @Test
    void theConfigIsWhatHarperDbRunsWithAndARemovedKeyGetsItsValueBack() {
        String password = k8s.createAdminSecret("cfg-admin");
        HarperCluster cluster = io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: harperdb.io/v1alpha1
                kind: HarperCluster
                metadata: { name: cfg, namespace: default }
                spec:
                  adminSecret: cfg-admin
                  pollInterval: 2s
                  instances:
                    replicas: 1
                    config:
                      logging.level: debug
                      http.corsAccessList: '["https://shop.example.com"]'
                      threads.count: "2"
                    podTemplate:
                      labels: { team: data }
                """, HarperCluster.class);
        k8s.user().resource(cluster).create();
        String pod0 = "http://" + k8s.podHost("cfg-0", "cfg") + ":9925";

        awaitReady();
        JsonNode config = configuration(pod0, password);
        assertThat(config.path("logging").path("level").asText()).isEqualTo("debug");
        assertThat(config.path("http").path("corsAccessList").toString()).isEqualTo("[\"https://shop.example.com\"]");
        assertThat(config.path("threads").path("count").asInt()).isEqualTo(2);
        // the operator's own keys stay: the pod's name as the replication hostname
        assertThat(config.path("replication").path("hostname").asText()).isEqualTo(k8s.podHost("cfg-0", "cfg"));
        Pod pod = k8s.user().pods().inNamespace(PodContract.NAMESPACE).withName("cfg-0").get();
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "data");
        String firstHash = TemplateHash.current(pod);

        ManagedResourcesTest.editCluster(k8s.user(), PodContract.NAMESPACE, "cfg", c -> c.getSpec().getInstances().setConfig(Map.of("storage.caching", "false")));

        await("cfg-0 restarted with the new config").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()    // the pod restarting does not answer for a while
                .untilAsserted(() -> {
            Pod restarted = k8s.user().pods().inNamespace(PodContract.NAMESPACE).withName("cfg-0").get();
            assertThat(restarted).isNotNull();
            assertThat(TemplateHash.current(restarted)).isNotEqualTo(firstHash);
            JsonNode now = configuration(pod0, password);
            assertThat(now.path("storage").path("caching").asBoolean(true)).isFalse();
            // HarperDB's default in prod mode, as before the config set it
            assertThat(now.path("logging").path("level").asText()).isEqualTo("warn");
        });
    }

    private void awaitReady() {
        await("cfg Ready 1/1").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HarperCluster cfg = k8s.cluster("cfg");
            assertThat(cfg.getStatus()).isNotNull();
            assertThat(cfg.getStatus().getPhase()).as("%s", cfg.getStatus()).isEqualTo(Phase.READY);
        });
    }

    private JsonNode configuration(String url, String password) {
        return k8s.call(url, "admin", password, Map.of("operation", "get_configuration"));
    }
}
