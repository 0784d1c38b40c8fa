package io.harperdb.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.harperdb.operator.testing.MockKubernetes;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What Main checks before it starts: an API server that answers, and the CRDs. */
class MainPreflightTest {
    private static final OperatorSettings ALL_NAMESPACES = new OperatorSettings(Set.of(), false, "lock", null, 0);

    @Test
    void anApiServerWithTheCrdsPasses() {
        try (MockKubernetes kubernetes = new MockKubernetes()) {
            assertThat(Main.preflight(kubernetes.client(), ALL_NAMESPACES)).isNull();
            assertThat(Main.preflight(kubernetes.client(), new OperatorSettings(Set.of("team-a"), false, "lock", null, 0))).isNull();
        }
    }

    @Test
    void anUnreachableApiServerIsNamedWithTheCause() {
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0).build())
                .build()) {
            String problem = Main.preflight(client, ALL_NAMESPACES);

            assertThat(problem).startsWith("cannot reach the Kubernetes API server at https://127.0.0.1:1/")
                    .contains("refused").contains("KUBECONFIG");
        }
    }
}
