package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.harperdb.operator.api.CaBundleSecret;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A HarperNode whose CA bundle Secret is missing: a condition and one Warning Event say so, nothing is sent to it,
 * and the reconciler keeps its pace (no exception loop); once the Secret exists, its https Operations API is
 * verified with it and the node joins.
 */
class CaBundleEndToEndTest {
    @Test
    void aMissingBundleIsReportedThenUsedOnceItExists() throws Exception {
        TestCa ca = new TestCa("east CA");
        try (MockKubernetes kubernetes = new MockKubernetes(); RunningOperator operator = new RunningOperator(kubernetes);
             StandIn harper = new StandIn("east-1", List.of(), true, ca.serverTls("localhost"))) {
            kubernetes.client().resource(Resources.cluster("demo")).create();
            kubernetes.client().resource(Resources.secret("east-1-admin", "admin", "pw")).create();
            HarperNode declared = Resources.node("east-1", "demo", "east-1", harper.localhostUrl(), "east-1-admin");
            declared.getSpec().setVerifyTls(null);
            declared.getSpec().setCaBundleSecret(new CaBundleSecret("east-ca", "ca.crt"));
            kubernetes.client().resource(declared).create();

            HarperNode failed = await().atMost(Duration.ofSeconds(45)).until(() -> node(kubernetes),
                    n -> n.getStatus() != null && n.getStatus().getPhase() == Phase.FAILED);
            Condition ready = Conditions.find(failed.getStatus().getConditions(), Conditions.READY);
            assertThat(ready.getReason()).isEqualTo("CaBundleUnavailable");
            assertThat(ready.getMessage()).isEqualTo("Secret east-ca named by spec.caBundleSecret of HarperNode east-1 not found");
            HarperCluster cluster = kubernetes.client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get();
            assertThat(Conditions.find(cluster.getStatus().getConditions(), Conditions.RECONCILED).getReason()).isEqualTo("CaBundleUnavailable");
            // a few more rounds: still one Event, nothing sent
            Thread.sleep(3000);
            List<Event> events = kubernetes.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                    .filter(e -> "CaBundleUnavailable".equals(e.getReason())).toList();
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("HarperNode");
                assertThat(e.getMessage()).contains("east-ca");
            });
            assertThat(harper.operations()).isEmpty();

            kubernetes.client().resource(ca.secret("east-ca", "ca.crt")).create();

            HarperNode joined = await().atMost(Duration.ofSeconds(45)).until(() -> node(kubernetes),
                    n -> n.getStatus() != null && n.getStatus().getPhase() == Phase.READY);
            assertThat(Conditions.find(joined.getStatus().getConditions(), Conditions.TLS_VERIFICATION_DISABLED)).isNull();
            assertThat(harper.operations()).contains("cluster_status");
            HarperCluster readyCluster = await().atMost(Duration.ofSeconds(30)).until(
                    () -> kubernetes.client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(),
                    c -> c.getStatus().getPhase() == Phase.READY);
            assertThat(Conditions.find(readyCluster.getStatus().getConditions(), Conditions.TLS_VERIFICATION_DISABLED)).isNull();
        }
    }

    private static HarperNode node(MockKubernetes kubernetes) {
        return kubernetes.client().resources(HarperNode.class).inNamespace(NAMESPACE).withName("east-1").get();
    }
}
