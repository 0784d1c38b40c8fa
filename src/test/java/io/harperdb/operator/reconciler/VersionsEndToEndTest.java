package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The version each member reports shows in status, and a downgrade of the image waits for the annotation. On the mock
 * API server; the member stood in by {@link StandIn}, answering registration_info as 4.7.29 does.
 */
class VersionsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private StandIn pod;
    @RegisterExtension
    final OperatorOnMockApi api = OperatorOnMockApi.managedPodsAt(() -> this.pod.url());

    @BeforeEach
    void start() {
        pod = new StandIn("demo-0", List.of(), true).withVersion("4.7.29");
    }

    @AfterEach
    void stop() throws Exception {
        pod.close();
    }

    @Test
    void theReportedVersionShowsAndADowngradeWaitsForTheAnnotation() {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 1);
        cluster.getSpec().getInstances().setImage("harperdb/harperdb:4.7.29");
        api.user().resource(cluster).create();
        HarperCluster ready = awaitCluster(c -> "4.7.29".equals(c.getStatus().getVersion()));
        assertThat(ready.getStatus().getMembers()).extracting(MemberStatus::getVersion).containsExactly("4.7.29");
        // read when the member first answered, not every round
        long reads = pod.operations().stream().filter("registration_info"::equals).count();
        api.operator().awaitRounds(3);
        assertThat(pod.operations().stream().filter("registration_info"::equals).count()).isEqualTo(reads).isEqualTo(1);

        ManagedResourcesTest.editCluster(api.user(), c -> c.getSpec().getInstances().setImage("harperdb/harperdb:4.6.3"));

        HarperCluster waiting = awaitCluster(c -> Conditions.find(c.getStatus().getConditions(), VersionGate.CONDITION) != null);
        Condition condition = Conditions.find(waiting.getStatus().getConditions(), VersionGate.CONDITION);
        assertThat(condition.getReason()).isEqualTo(VersionGate.NEEDS_APPROVAL);
        assertThat(condition.getMessage()).contains("a downgrade from 4.7.29");
        assertThat(image()).isEqualTo("harperdb/harperdb:4.7.29");

        api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").edit(c -> {
            Map<String, String> annotations = new HashMap<>(c.getMetadata().getAnnotations() == null ? Map.of() : c.getMetadata().getAnnotations());
            annotations.put(VersionGate.ALLOW_ANNOTATION, "4.6.3");
            c.getMetadata().setAnnotations(annotations);
            return c;
        });

        await("image applied").atMost(WAIT).until(() -> image().equals("harperdb/harperdb:4.6.3"));
        awaitCluster(c -> Conditions.find(c.getStatus().getConditions(), VersionGate.CONDITION) == null);
    }

    private String image() {
        return VersionGate.harperImage(api.user().apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get());
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return await().atMost(WAIT).until(() -> api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(),
                c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null && condition.test(c));
    }
}
