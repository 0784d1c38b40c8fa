package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Storage;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A larger storage.size resizes the data claims where their StorageClass allows it, and says where it does not. On the
 * mock API server, the claims made by hand as the StatefulSet controller makes them; no HarperDB runs.
 */
class VolumeExpansionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final OperatorOnMockApi api = OperatorOnMockApi.managedPodsUnreachable();

    @BeforeEach
    void start() {
        api.user().resource(new StorageClassBuilder().withNewMetadata().withName("expandable").endMetadata()
                .withProvisioner("example.com/csi").withAllowVolumeExpansion(true).build()).create();
        api.user().resource(new StorageClassBuilder().withNewMetadata().withName("fixed").endMetadata()
                .withProvisioner("example.com/csi").build()).create();
    }


    @Test
    void aLargerSizeResizesTheClaimsAndTheConditionFollowsTheirCapacity() {
        createCluster(2, "expandable");
        awaitCluster(c -> c.getStatus() != null && c.getStatus().getMembers() != null);
        assertThat(condition()).isEmpty();

        setSize("20Gi");

        await("claims resized").atMost(WAIT).until(() -> requested("data-demo-0").equals("20Gi") && requested("data-demo-1").equals("20Gi"));
        Condition resizing = await().atMost(WAIT).until(this::condition, Optional::isPresent).orElseThrow();
        assertThat(resizing.getStatus()).isEqualTo("False");
        assertThat(resizing.getReason()).isEqualTo(VolumeExpansion.RESIZING);
        assertThat(resizing.getMessage()).isEqualTo("data-demo-0, data-demo-1 resizing to 20Gi");
        assertThat(requested("data-other-0")).as("another cluster's claim").isEqualTo("10Gi");
        assertThat(api.user().v1().events().inNamespace(NAMESPACE).list().getItems())
                .filteredOn(e -> "ResizingVolume".equals(e.getReason())).hasSize(2);

        // the volumes grew (what the external resizer and the kubelet report)
        for (String claim : List.of("data-demo-0", "data-demo-1")) {
            api.user().persistentVolumeClaims().inNamespace(NAMESPACE).withName(claim).editStatus(c -> {
                c.getStatus().setCapacity(Map.of("storage", new Quantity("20Gi")));
                return c;
            });
        }
        await("condition gone").atMost(WAIT).until(() -> condition().isEmpty());
    }

    @Test
    void aClassWithoutVolumeExpansionLeavesTheClaimsAndSaysSo() {
        createCluster(2, "fixed");
        awaitCluster(c -> c.getStatus() != null && c.getStatus().getMembers() != null);

        setSize("20Gi");

        Condition unsupported = await().atMost(WAIT).until(this::condition, Optional::isPresent).orElseThrow();
        assertThat(unsupported.getStatus()).isEqualTo("False");
        assertThat(unsupported.getReason()).isEqualTo(VolumeExpansion.UNSUPPORTED);
        assertThat(unsupported.getMessage()).contains("storage.size is 20Gi", "data-demo-0: StorageClass fixed does not allow volume expansion",
                "data-demo-1: StorageClass fixed does not allow volume expansion", "allowVolumeExpansion: true");
        assertThat(requested("data-demo-0")).isEqualTo("10Gi");
        assertThat(requested("data-demo-1")).isEqualTo("10Gi");
    }

    /** The pure part: which claims are smaller, and what the condition says. */
    @Test
    void theConditionNamesTheClaimsAndWhy() {
        Quantity size = new Quantity("20Gi");
        VolumeExpansion.Claim small = new VolumeExpansion.Claim("data-demo-0", "x", new Quantity("10Gi"), new Quantity("10Gi"), false);
        VolumeExpansion.Claim same = new VolumeExpansion.Claim("data-demo-1", "x", new Quantity("20480Mi"), new Quantity("20Gi"), false);
        VolumeExpansion.Claim larger = new VolumeExpansion.Claim("data-demo-2", "x", new Quantity("1Ti"), new Quantity("1Ti"), false);
        assertThat(VolumeExpansion.smaller(size, List.of(larger, same, small))).containsExactly(small);

        assertThat(VolumeExpansion.condition(size, Map.of(), List.of(same, larger), 3)).isEmpty();
        VolumeExpansion.Claim pending = new VolumeExpansion.Claim("data-demo-0", "x", size, new Quantity("10Gi"), true);
        assertThat(VolumeExpansion.condition(size, Map.of(), List.of(pending, same), 3)).hasValueSatisfying(c -> {
            assertThat(c.getReason()).isEqualTo(VolumeExpansion.RESIZING);
            assertThat(c.getMessage()).startsWith("data-demo-0 resizing to 20Gi; the file system grows when its volume is next mounted")
                    .contains("harperdb.io/restartedAt");
            assertThat(c.getObservedGeneration()).isEqualTo(3L);
        });
        assertThat(VolumeExpansion.condition(size, Map.of("data-demo-0", "it has no StorageClass"), List.of(small), 3))
                .hasValueSatisfying(c -> assertThat(c.getMessage()).contains("data-demo-0: it has no StorageClass"));

        HarperCluster demo = ManagedResourcesTest.managedCluster("demo", 3);
        assertThat(VolumeExpansion.isDataClaim(demo, "data-demo-12")).isTrue();
        assertThat(VolumeExpansion.isDataClaim(demo, "data-demo-x")).isFalse();
        assertThat(VolumeExpansion.isDataClaim(demo, "data-demo-0-backup")).isFalse();
        assertThat(VolumeExpansion.isDataClaim(demo, "data-demox-0")).isFalse();
    }

    private void createCluster(int replicas, String storageClass) {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", replicas);
        Storage storage = new Storage();
        storage.setStorageClassName(storageClass);
        cluster.getSpec().getInstances().setStorage(storage);
        api.user().resource(cluster).create();
        // the claims come after the StatefulSet (and the admin Secret), as in a real cluster
        await("StatefulSet").atMost(WAIT).until(() -> api.user().apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get() != null);
        for (int i = 0; i < replicas; i++) {
            api.user().resource(claim("demo", i, storageClass)).create();
        }
        api.user().resource(claim("other", 0, storageClass)).create();
    }

    /** A claim as the StatefulSet controller makes it from the claim template, bound and provisioned. */
    private static PersistentVolumeClaim claim(String cluster, int ordinal, String storageClass) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data-" + cluster + "-" + ordinal).withNamespace(NAMESPACE)
                .withLabels(Map.of("app.kubernetes.io/name", "harperdb", "app.kubernetes.io/instance", cluster)).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
                .withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources().endSpec()
                .withNewStatus().withPhase("Bound").addToCapacity("storage", new Quantity("10Gi")).endStatus()
                .build();
    }

    private void setSize(String size) {
        ManagedResourcesTest.editCluster(api.user(), c -> c.getSpec().getInstances().getStorage().setSize(size));
    }

    private String requested(String claim) {
        return api.user().persistentVolumeClaims().inNamespace(NAMESPACE).withName(claim).get().getSpec().getResources().getRequests()
                .get("storage").toString();
    }

    private Optional<Condition> condition() {
        HarperCluster cluster = api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get();
        return Optional.ofNullable(cluster.getStatus() == null ? null : Conditions.find(cluster.getStatus().getConditions(), VolumeExpansion.CONDITION));
    }

    private HarperCluster awaitCluster(java.util.function.Predicate<HarperCluster> condition) {
        return await().atMost(WAIT).until(() -> api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(),
                c -> c != null && condition.test(c));
    }
}
