package io.harperdb.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.demo.Demo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code make demo} promises from another terminal: kubectl, given the demo's kubeconfig, finds the
 * HarperClusters and the pods on the embedded API server (which answers API discovery for it).
 */
class KubectlAgainstMockTest {

    @Test
    void kubectlListsWhatTheEmbeddedApiServerHolds(@TempDir Path dir) throws Exception {
        try (MockKubernetes kubernetes = new MockKubernetes()) {
            HarperCluster demo = new HarperCluster();
            demo.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("demo").withNamespace("default").build());
            demo.setSpec(new io.harperdb.operator.api.HarperClusterSpec());
            kubernetes.newUserClient().resource(demo).create();
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, Demo.kubeconfig(kubernetes.url()));

            assertThat(kubectl(kubeconfig, "get", "harperclusters", "-o", "name")).isEqualTo("harpercluster.harperdb.io/demo");
            assertThat(kubectl(kubeconfig, "get", "hc", "demo", "-o", "jsonpath={.metadata.name}")).isEqualTo("demo");
            assertThat(kubectl(kubeconfig, "get", "harpernodes,statefulsets,pods", "-o", "name")).isEmpty();
        }
    }

    private static String kubectl(Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("this test needs kubectl on the PATH (Debian package kubectl)", e);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args), output).isZero();
        return output;
    }
}
