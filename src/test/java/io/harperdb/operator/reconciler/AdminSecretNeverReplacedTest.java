package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.HarperContainer;
import io.harperdb.operator.resources.ResourceNames;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin Secret is generated only before any instance can have been installed with it. Once the cluster's
 * StatefulSet or a data volume claim exists, a missing admin Secret (deleted, or spec.adminSecret renamed to a
 * name that does not exist) is condition Reconciled=False reason AdminSecretMissing with one Warning Event, and
 * nothing is regenerated or rewritten; the Secret restored, the cluster reconciles again. Mock API server; every
 * member is unreachable (nothing listens on port 1), which is enough to see what the operator writes.
 */
class AdminSecretNeverReplacedTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Several rounds: pollInterval is 2s, and unreachable members back off to at most that. */
    private static final int SEVERAL_ROUNDS = 3;

    @RegisterExtension
    final OperatorOnMockApi api = OperatorOnMockApi.managedPodsUnreachable();



    @Test
    void aDeletedAdminSecretIsNotRegeneratedOnceTheStatefulSetExists() {
        api.user().resource(ManagedResourcesTest.managedCluster("demo", 2)).create();
        Secret generated = await().atMost(WAIT).until(() -> secret("demo-admin"), s -> s != null);
        assertThat(generated.getData()).containsKeys("username", "password");
        StatefulSet statefulSet = await().atMost(WAIT).until(() -> statefulSet("demo"), s -> s != null);
        awaitCluster(c -> c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == 2);

        api.user().resource(generated).delete();

        HarperCluster failed = awaitCluster(c -> isMissing(c));
        Condition reconciled = MisconfiguredMembersTest.condition(failed, Conditions.RECONCILED);
        assertThat(reconciled.getMessage())
                .startsWith("Secret demo-admin (the default when spec.adminSecret is not set) does not exist, and StatefulSet demo exists")
                .contains("generates no new password")
                .contains("recreate Secret demo-admin (keys username and password)")
                .contains("docs/admin-secret.md");
        assertThat(MisconfiguredMembersTest.condition(failed, Conditions.READY).getReason()).isEqualTo(ConfigurationError.ADMIN_SECRET_MISSING);
        assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.FAILED);

        api.kubernetes().clearRequests();
        rounds();
        assertThat(secret("demo-admin")).as("no new Secret, no new password").isNull();
        assertThat(api.kubernetes().writes()).as("nothing but Events written: no Secret, no StatefulSet, the status unchanged")
                .allMatch(r -> r.path().contains("/events"));
        assertThat(statefulSet("demo").getMetadata().getResourceVersion()).isEqualTo(statefulSet.getMetadata().getResourceVersion());
        List<Event> warnings = events(ConfigurationError.ADMIN_SECRET_MISSING);
        assertThat(warnings).as("one Warning Event for the problem, however many rounds").singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("demo");
            assertThat(e.getMessage()).isEqualTo(reconciled.getMessage());
        });
        assertNoPassword(generated, reconciled.getMessage());

        // The user recreates it with the password the instances hold: the cluster reconciles again.
        api.user().resource(Resources.secret("demo-admin", "admin", password(generated))).create();
        HarperCluster recovered = awaitCluster(c -> !isMissing(c));
        assertThat(recovered.getStatus().getPhase()).isNotEqualTo(Phase.FAILED);
        assertThat(MisconfiguredMembersTest.condition(recovered, Conditions.READY).getReason())
                .isNotEqualTo(ConfigurationError.ADMIN_SECRET_MISSING);
        assertThat(password(secret("demo-admin"))).isEqualTo(password(generated));
    }

    @Test
    void anAdminSecretRenamedToAMissingNameIsNotGenerated() {
        api.user().resource(Resources.secret("first-admin", "admin", "the-Installed-Pa55word")).create();
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 2);
        cluster.getSpec().setAdminSecret("first-admin");
        api.user().resource(cluster).create();
        StatefulSet statefulSet = await().atMost(WAIT).until(() -> statefulSet("demo"), s -> s != null);
        awaitCluster(c -> c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == 2);

        ManagedResourcesTest.editCluster(api.user(), c -> c.getSpec().setAdminSecret("second-admin"));

        HarperCluster failed = awaitCluster(c -> isMissing(c) && c.getStatus().getObservedGeneration() == 2L);
        assertThat(MisconfiguredMembersTest.condition(failed, Conditions.RECONCILED).getMessage())
                .startsWith("Secret second-admin (spec.adminSecret) does not exist, and the pods of StatefulSet demo take their admin"
                        + " credentials from Secret first-admin")
                .contains("recreate Secret second-admin (keys username and password) with those credentials,"
                        + " or set spec.adminSecret back to first-admin");
        rounds();
        assertThat(secret("second-admin")).isNull();
        assertThat(secret("demo-admin")).isNull();
        StatefulSet unchanged = statefulSet("demo");
        assertThat(unchanged.getMetadata().getResourceVersion()).as("pods not pointed at a Secret that is not there")
                .isEqualTo(statefulSet.getMetadata().getResourceVersion());
        assertThat(HarperContainer.adminSecretOf(unchanged)).contains("first-admin");
        assertThat(events(ConfigurationError.ADMIN_SECRET_MISSING)).hasSize(1);
        assertThat(password(secret("first-admin"))).isEqualTo("the-Installed-Pa55word");

        // Back to the Secret the instances were installed with.
        ManagedResourcesTest.editCluster(api.user(), c -> c.getSpec().setAdminSecret("first-admin"));
        awaitCluster(c -> !isMissing(c) && c.getStatus().getObservedGeneration() == 3L);
        assertThat(secret("second-admin")).isNull();
    }

    /** A cluster created again on the volume claims a deleted one left (whenDeleted Retain), its Secret gone too. */
    @Test
    void aClusterOnRetainedVolumeClaimsGetsNoNewAdminSecret() {
        // As the StatefulSet controller makes them: named <template>-<StatefulSet>-<ordinal>, labelled with its selector.
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 2);
        for (int ordinal : List.of(0, 1)) {
            api.user().resource(claim("data-demo-" + ordinal, cluster)).create();
        }

        api.user().resource(cluster).create();

        HarperCluster failed = awaitCluster(AdminSecretNeverReplacedTest::isMissing);
        assertThat(MisconfiguredMembersTest.condition(failed, Conditions.RECONCILED).getMessage())
                .startsWith("Secret demo-admin (the default when spec.adminSecret is not set) does not exist, and data volume claims"
                        + " of this cluster exist (data-demo-0, data-demo-1)");
        rounds();
        assertThat(secret("demo-admin")).isNull();
        assertThat(statefulSet("demo")).as("nothing is started on those volumes without their password").isNull();
        assertThat(events(ConfigurationError.ADMIN_SECRET_MISSING)).hasSize(1);

        api.user().resource(Resources.secret("demo-admin", "admin", "the-Installed-Pa55word")).create();
        await().atMost(WAIT).until(() -> statefulSet("demo"), s -> s != null);
        awaitCluster(c -> !isMissing(c));
    }

    /** Claims of another cluster, or not made from the data template, are no sign of this one's instances. */
    @Test
    void otherClaimsDoNotStopTheFirstGeneration() {
        HarperCluster other = ManagedResourcesTest.managedCluster("other", 1);
        api.user().resource(claim("data-other-0", other)).create();
        api.user().resource(claim("scratch-demo-0", ManagedResourcesTest.managedCluster("demo", 1))).create();

        api.user().resource(ManagedResourcesTest.managedCluster("demo", 1)).create();

        await().atMost(WAIT).until(() -> secret("demo-admin"), s -> s != null);
        await().atMost(WAIT).until(() -> statefulSet("demo"), s -> s != null);
        assertThat(events("AdminSecretCreated")).hasSize(1);
    }

    private static PersistentVolumeClaim claim(String name, HarperCluster cluster) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(ResourceNames.selectorLabels(cluster)).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").endSpec()
                .build();
    }

    private static boolean isMissing(HarperCluster cluster) {
        return cluster.getStatus().getConditions() != null && cluster.getStatus().getConditions().stream()
                .anyMatch(c -> Conditions.RECONCILED.equals(c.getType()) && "False".equals(c.getStatus())
                        && ConfigurationError.ADMIN_SECRET_MISSING.equals(c.getReason()));
    }

    private static void assertNoPassword(Secret secret, String text) {
        assertThat(text).doesNotContain(password(secret)).doesNotContain(secret.getData().get("password"));
    }

    private static String password(Secret secret) {
        return secret.getData() != null && secret.getData().get("password") != null
                ? new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8)
                : secret.getStringData().get("password");
    }

    private void rounds() {
        api.operator().awaitRounds(SEVERAL_ROUNDS);
    }

    private List<Event> events(String reason) {
        return api.user().v1().events().inNamespace(NAMESPACE).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return await().atMost(WAIT).until(() -> api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(),
                c -> c != null && c.getStatus() != null && condition.test(c));
    }

    private StatefulSet statefulSet(String name) {
        return api.user().apps().statefulSets().inNamespace(NAMESPACE).withName(name).get();
    }

    private Secret secret(String name) {
        return api.user().secrets().inNamespace(NAMESPACE).withName(name).get();
    }
}
