package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deleted HarperNode whose removal no peer can confirm (none answers, or the cluster is paused) waits
 * only until its removal deadline, then its finalizer goes with a Warning Event that says how to clean up.
 */
class BoundedRemovalTest {
    // Port 1 refuses connections: no peer answers.
    private static final String NOBODY = "http://127.0.0.1:1";
    @RegisterExtension
    final OperatorOnMockApi api = new OperatorOnMockApi();



    @Test
    void noPeerAnswersSoTheFinalizerGoesAfterTheDeadlineWithAWarning() {
        api.kubernetes().client().resource(Resources.cluster("demo")).create();
        api.kubernetes().client().resource(Resources.secret("admin", "admin", "pw")).create();
        api.kubernetes().client().resource(Resources.node("peer", "demo", "peer.example.com", NOBODY, "admin")).create();
        HarperNode quick = Resources.node("quick", "demo", "quick.example.com", NOBODY, "admin");
        quick.getMetadata().setAnnotations(Map.of(Annotations.REMOVAL_TIMEOUT, "3s"));
        api.kubernetes().client().resource(quick).create();
        api.kubernetes().client().resource(Resources.node("patient", "demo", "patient.example.com", NOBODY, "admin")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> List.of("peer", "quick", "patient").stream()
                .allMatch(n -> !node(n).getMetadata().getFinalizers().isEmpty()));

        delete("quick");
        delete("patient");

        await().atMost(Duration.ofSeconds(20)).until(() -> node("quick") == null);
        // Without the annotation the default deadline (10 minutes) holds it.
        assertThat(node("patient")).isNotNull();
        assertThat(node("patient").getMetadata().getDeletionTimestamp()).isNotNull();
        Event warning = await().atMost(Duration.ofSeconds(10)).until(() -> api.kubernetes().client().v1().events()
                .inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> HarperNodeReconciler.REMOVAL_UNCONFIRMED.equals(e.getReason())).findFirst().orElse(null),
                e -> e != null);
        assertThat(warning.getType()).isEqualTo("Warning");
        assertThat(warning.getInvolvedObject().getName()).isEqualTo("quick");
        assertThat(warning.getMessage()).contains("quick.example.com", "may still be recorded on its peers",
                "pruneUnknownNodes", "HarperCluster demo").doesNotContain("pw");
    }

    @Test
    void aPausedClusterHoldsTheFinalizerOnlyUntilTheDeadline() {
        HarperCluster cluster = Resources.cluster("demo");
        cluster.getMetadata().setAnnotations(Map.of(Annotations.PAUSE, "true"));
        api.kubernetes().client().resource(cluster).create();
        api.kubernetes().client().resource(Resources.secret("admin", "admin", "pw")).create();
        api.kubernetes().client().resource(Resources.node("peer", "demo", "peer.example.com", NOBODY, "admin")).create();
        HarperNode quick = Resources.node("quick", "demo", "quick.example.com", NOBODY, "admin");
        quick.getMetadata().setAnnotations(Map.of(Annotations.REMOVAL_TIMEOUT, "3s"));
        api.kubernetes().client().resource(quick).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> !node("quick").getMetadata().getFinalizers().isEmpty());

        delete("quick");

        await().atMost(Duration.ofSeconds(20)).until(() -> node("quick") == null);
        assertThat(api.kubernetes().client().v1().events().inNamespace(NAMESPACE).list().getItems())
                .anySatisfy(e -> assertThat(e.getMessage()).contains("is paused", "pruneUnknownNodes"));
    }

    private void delete(String name) {
        api.kubernetes().client().resources(HarperNode.class).inNamespace(NAMESPACE).withName(name).delete();
    }

    private HarperNode node(String name) {
        return api.kubernetes().client().resources(HarperNode.class).inNamespace(NAMESPACE).withName(name).get();
    }
}
