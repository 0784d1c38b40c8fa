package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The objects the operator owns (StatefulSet, both Services, PodDisruptionBudget) are read from informer
 * caches, never with a GET, and one deleted comes back at once. A Ready one-member managed cluster on the mock
 * API server, its pod stood in by {@link StandIn}.
 */
class OwnedResourcesFromCachesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Owned objects by name: what a GET that bypasses the caches asks for (informers list and watch by collection). */
    private static final String OWNED_BY_NAME = ".*/(statefulsets|services|poddisruptionbudgets)/[^/?]+";

    private StandIn pod;
    @RegisterExtension
    final OperatorOnMockApi api = OperatorOnMockApi.managedPodsAt(() -> this.pod.url());

    @BeforeEach
    void start() {
        pod = new StandIn("demo-0", List.of(), true);
    }

    @AfterEach
    void stop() throws Exception {
        pod.close();
    }

    @Test
    void aDeletedServiceOrBudgetOrStatefulSetComesBackWithoutWaitingForThePoll() {
        createReadyCluster("10m");    // the next poll is ten minutes away

        for (Supplier<? extends io.fabric8.kubernetes.api.model.HasMetadata> owned : List.<Supplier<? extends io.fabric8.kubernetes.api.model.HasMetadata>>of(
                () -> service("demo"), () -> service("demo-hdb"), this::budget, this::statefulSet)) {
            io.fabric8.kubernetes.api.model.HasMetadata before = owned.get();
            api.user().resource(before).delete();
            var back = await(before.getKind() + " " + before.getMetadata().getName() + " back").atMost(Duration.ofSeconds(15))
                    .until(owned::get, o -> o != null && !o.getMetadata().getUid().equals(before.getMetadata().getUid()));
            assertThat(back.getMetadata().getName()).isEqualTo(before.getMetadata().getName());
        }
    }

    @Test
    void anIdleManagedClusterReadsNoOwnedObjectByGetAndWritesNothing() {
        createReadyCluster("2s");
        api.operator().awaitRounds(2);
        int roundsBefore = statusReads();
        api.kubernetes().clearRequests();

        // Several rounds (Ready).
        api.operator().awaitRounds(4);

        List<MockKubernetes.Request> requests = api.kubernetes().requests();
        assertThat(statusReads()).as("rounds ran meanwhile").isGreaterThan(roundsBefore + 2);
        assertThat(requests).as("no GET of an owned object: they come from the informers").noneMatch(r -> r.path().matches(OWNED_BY_NAME));
        assertThat(requests).as("nothing written").allMatch(MockKubernetes.Request::isRead);
        assertThat(requests).as("per round, one GET by name (RoundSecrets) of the admin Secret, the CA and the members' certificates,"
                        + " and nothing else")
                .allSatisfy(r -> assertThat(r.path()).isIn("/api/v1/namespaces/" + NAMESPACE + "/secrets/demo-admin",
                        "/api/v1/namespaces/" + NAMESPACE + "/secrets/demo-ca", "/api/v1/namespaces/" + NAMESPACE + "/secrets/demo-tls"));
        assertThat(requests.stream().filter(r -> r.path().endsWith("/secrets/demo-ca")).count())
                .isEqualTo(requests.stream().filter(r -> r.path().endsWith("/secrets/demo-admin")).count());
    }

    private void createReadyCluster(String pollInterval) {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 1);
        cluster.getSpec().setPollInterval(pollInterval);
        api.user().resource(cluster).create();
        await("Ready").atMost(WAIT).until(() -> api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(),
                c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.READY);
        await().atMost(WAIT).until(() -> statefulSet() != null && service("demo") != null && service("demo-hdb") != null && budget() != null);
    }

    /** cluster_status calls so far: one per round. */
    private int statusReads() {
        return (int) pod.operations().stream().filter("cluster_status"::equals).count();
    }

    private StatefulSet statefulSet() {
        return api.user().apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get();
    }

    private Service service(String name) {
        return api.user().services().inNamespace(NAMESPACE).withName(name).get();
    }

    private PodDisruptionBudget budget() {
        return api.user().policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName("demo").get();
    }
}
