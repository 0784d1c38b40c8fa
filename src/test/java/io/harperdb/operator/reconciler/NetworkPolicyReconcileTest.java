package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.harperdb.operator.api.ClusterNetworkPolicy;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** spec.networkPolicy on the mock API server: the NetworkPolicy is created, kept, updated and deleted as a managed child. */
class NetworkPolicyReconcileTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final OperatorOnMockApi api = OperatorOnMockApi.managedPodsUnreachable();



    @Test
    void createdWhenEnabledUpdatedRestoredAndDeletedWhenDisabled() {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 3);
        cluster.getSpec().setNetworkPolicy(enabled(true));
        String uid = api.user().resource(cluster).create().getMetadata().getUid();

        NetworkPolicy created = await().atMost(WAIT).until(this::policy, p -> p != null);
        assertThat(created.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo(uid));
        assertThat(created.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(Map.of("app.kubernetes.io/name", "harperdb", "app.kubernetes.io/instance", "demo"));
        assertThat(created.getSpec().getIngress()).hasSize(3);

        // a chosen client is let in to the Operations API
        edit(c -> c.getSpec().getNetworkPolicy().setOperationsClients(List.of(new NetworkPolicyPeerBuilder()
                .withNewPodSelector().addToMatchLabels("app", "backup").endPodSelector().build())));
        await().atMost(WAIT).until(() -> policy().getSpec().getIngress().get(1).getFrom().size() == 2);

        // an edit by hand is undone
        api.user().network().v1().networkPolicies().inNamespace(NAMESPACE).withName("demo").edit(p -> {
            p.getSpec().setIngress(List.of());
            return p;
        });
        await().atMost(WAIT).until(() -> policy().getSpec().getIngress().size() == 3);

        edit(c -> c.getSpec().getNetworkPolicy().setEnabled(false));
        await().atMost(WAIT).until(() -> policy() == null);
    }

    @Test
    void noneWithoutTheSpecSayingSo() {
        api.user().resource(ManagedResourcesTest.managedCluster("demo", 1)).create();
        await().atMost(WAIT).until(() -> api.user().apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get() != null);
        api.operator().awaitRounds(2);
        assertThat(policy()).isNull();
    }

    @Test
    void aNetworkPolicyOfTheSameNameThatTheOperatorDoesNotManageIsNotTakenOverNorDeleted() {
        NetworkPolicy theirs = new NetworkPolicyBuilder().withNewMetadata().withName("demo").withNamespace(NAMESPACE)
                .addToLabels("app", "theirs").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "theirs").endPodSelector().endSpec().build();
        api.user().resource(theirs).create();
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 1);
        cluster.getSpec().setNetworkPolicy(enabled(true));
        api.user().resource(cluster).create();

        HarperCluster failed = await().atMost(WAIT).until(() -> cluster(), c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.FAILED);
        Condition reconciled = MisconfiguredMembersTest.condition(failed, Conditions.RECONCILED);
        assertThat(reconciled.getReason()).isEqualTo("ConfigurationError");
        assertThat(reconciled.getMessage()).contains("NetworkPolicy demo exists and is not managed by harperdb-operator");

        // turned off, theirs is left alone as well
        edit(c -> c.getSpec().getNetworkPolicy().setEnabled(false));
        await().atMost(WAIT).until(() -> api.user().apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get() != null);
        api.operator().awaitRounds(2);
        NetworkPolicy after = policy();
        assertThat(after.getMetadata().getLabels()).isEqualTo(Map.of("app", "theirs"));
        assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
    }

    private static ClusterNetworkPolicy enabled(boolean enabled) {
        ClusterNetworkPolicy policy = new ClusterNetworkPolicy();
        policy.setEnabled(enabled);
        return policy;
    }

    private void edit(Consumer<HarperCluster> change) {
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").edit(c -> {
                change.accept(c);
                return c;
            });
            return true;
        });
    }

    private HarperCluster cluster() {
        return api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get();
    }

    private NetworkPolicy policy() {
        return api.user().network().v1().networkPolicies().inNamespace(NAMESPACE).withName("demo").get();
    }
}
