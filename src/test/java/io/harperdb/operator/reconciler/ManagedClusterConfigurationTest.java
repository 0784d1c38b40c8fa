package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.HarperOperator;
import io.harperdb.operator.OperatorBuild;
import io.harperdb.operator.OperatorSettings;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.api.Sidecar;
import io.harperdb.operator.resources.DesiredStatefulSet;
import io.harperdb.operator.resources.MemberAddress;
import io.harperdb.operator.resources.SidecarContainer;
import io.harperdb.operator.resources.SidecarImage;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A managed cluster on the mock API server with the operator configured as {@code make run} leaves it (no
 * OPERATOR_IMAGE) or configured wrongly: the StatefulSet appears, or the cluster's status and a Warning Event
 * say what to change, and the reconciler throws nothing. No HarperDB runs (every member is unreachable).
 */
@Isolated("captures the root logger's events: other classes' would mix in")
class ManagedClusterConfigurationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private MockKubernetes kubernetes;
    private KubernetesClient user;
    private HarperOperator operator;
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void start() {
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
        kubernetes = new MockKubernetes();
        user = kubernetes.newUserClient();
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        user.close();
        kubernetes.close();
        root().detachAppender(logs);
    }

    /** What {@code make run} does now: no OPERATOR_IMAGE, so the image the chart would run. */
    @Test
    void withoutOperatorImageTheManagedClusterGetsItsStatefulSetWithTheChartsImage() {
        startOperator(DesiredStatefulSet.fromEnvironment(Map.of()));
        user.resource(ManagedResourcesTest.managedCluster("demo", 3)).create();

        StatefulSet statefulSet = await().atMost(WAIT).until(this::statefulSet, s -> s != null);
        Container sidecar = statefulSet.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(SidecarContainer.NAME)).findFirst().orElseThrow();
        assertThat(sidecar.getImage()).isEqualTo(OperatorBuild.current().defaultImage().orElseThrow());
        awaitCluster(c -> c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == 3);
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .isEqualTo("replication sidecar image: " + sidecar.getImage() + " (from the build's default (OPERATOR_IMAGE is not set),"
                        + " the image the Helm chart runs)"));
        assertNothingThrown();
    }

    @Test
    void anInvalidOperatorImageIsAConditionAndOneWarningEventNotAnExceptionLoop() {
        startOperator(DesiredStatefulSet.fromEnvironment(Map.of(SidecarImage.ENV, "Not An Image")));
        user.resource(ManagedResourcesTest.managedCluster("demo", 3)).create();

        HarperCluster failed = awaitCluster(c -> c.getStatus().getPhase() == Phase.FAILED);
        Condition reconciled = MisconfiguredMembersTest.condition(failed, Conditions.RECONCILED);
        assertThat(reconciled.getStatus()).isEqualTo("False");
        assertThat(reconciled.getReason()).isEqualTo("ConfigurationError");
        assertThat(reconciled.getMessage()).contains("OPERATOR_IMAGE \"Not An Image\" is not an image reference")
                .contains("spec.instances.sidecar.enabled");
        assertThat(MisconfiguredMembersTest.condition(failed, Conditions.READY).getReason()).isEqualTo("ConfigurationError");
        assertThat(logs.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).startsWith("replication sidecar image: none usable");
        });

        // Several rounds (pollInterval 2s): the same problem, one Event, no StatefulSet, nothing thrown.
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> true);
        assertThat(statefulSet()).isNull();
        List<Event> warnings = user.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> "ConfigurationError".equals(e.getReason())).toList();
        assertThat(warnings).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("demo");
            assertThat(e.getMessage()).isEqualTo(reconciled.getMessage());
        });
        assertNothingThrown();

        // A cluster without the sidecar does not need the operator's image.
        ManagedResourcesTest.editCluster(user, c -> {
            c.getSpec().getInstances().setSidecar(new Sidecar());
            c.getSpec().getInstances().getSidecar().setEnabled(false);
        });
        assertThat(await().atMost(WAIT).until(this::statefulSet, s -> s != null).getSpec().getTemplate().getSpec().getContainers())
                .hasSize(1);
        HarperCluster recovered = awaitCluster(c -> c.getStatus().getPhase() != Phase.FAILED);
        assertThat(MisconfiguredMembersTest.condition(recovered, Conditions.RECONCILED).getReason()).isNotEqualTo("ConfigurationError");
    }

    @Test
    void aNameThatCannotNameTheChildrenIsAConfigurationErrorAndNothingIsCreated() {
        // The CRD refuses both names (CEL on metadata.name); an older CRD does not.
        startOperator(DesiredStatefulSet.fromEnvironment(Map.of()));
        String longName = "a".repeat(53);
        user.resource(ManagedResourcesTest.managedCluster("demo.east", 3)).create();
        user.resource(ManagedResourcesTest.managedCluster(longName, 3)).create();

        for (String name : List.of("demo.east", longName)) {
            HarperCluster failed = await().atMost(WAIT).until(() -> user.resources(HarperCluster.class).inNamespace(NAMESPACE)
                    .withName(name).get(), c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.FAILED);
            Condition reconciled = MisconfiguredMembersTest.condition(failed, Conditions.RECONCILED);
            assertThat(reconciled.getReason()).isEqualTo("ConfigurationError");
            assertThat(reconciled.getMessage()).contains("HarperCluster " + name).contains("rename it");
        }
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> true);
        assertThat(user.apps().statefulSets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(user.services().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertNothingThrown();
    }

    @Test
    void aServiceOfTheSameNameThatTheOperatorDoesNotManageIsNotTakenOver() {
        startOperator(DesiredStatefulSet.fromEnvironment(Map.of()));
        user.resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("demo-hdb")
                .withNamespace(NAMESPACE).addToLabels("app", "theirs").endMetadata()
                .withNewSpec().addToSelector("app", "theirs").addNewPort().withPort(80).endPort().endSpec().build()).create();
        user.resource(ManagedResourcesTest.managedCluster("demo", 3)).create();

        HarperCluster failed = awaitCluster(c -> c.getStatus().getPhase() == Phase.FAILED);
        Condition reconciled = MisconfiguredMembersTest.condition(failed, Conditions.RECONCILED);
        assertThat(reconciled.getReason()).isEqualTo("ConfigurationError");
        assertThat(reconciled.getMessage()).contains("Service demo-hdb exists and is not managed by harperdb-operator")
                .contains("not taken over");
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> true);
        io.fabric8.kubernetes.api.model.Service theirs = user.services().inNamespace(NAMESPACE).withName("demo-hdb").get();
        assertThat(theirs.getMetadata().getLabels()).isEqualTo(Map.of("app", "theirs"));
        assertThat(theirs.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(theirs.getSpec().getSelector()).isEqualTo(Map.of("app", "theirs"));
        assertThat(statefulSet()).isNull();
        assertThat(user.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> "ConfigurationError".equals(e.getReason()))).hasSize(1);
        assertNothingThrown();
    }

    private void startOperator(DesiredStatefulSet statefulSets) {
        operator = new HarperOperator(kubernetes.client(), new OperatorSettings(Set.of(), false, "lock", null, 0),
                new HarperClientFactory(RunningOperator.TEST_TIMEOUTS), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                (cluster, ordinal) -> new MemberAddress(cluster.getMetadata().getName() + "-" + ordinal,
                        cluster.getMetadata().getName() + "-" + ordinal, cluster.getMetadata().getName() + "-" + ordinal,
                        "http://127.0.0.1:1"),
                statefulSets);
        operator.start();
        await("operator ready").atMost(WAIT).until(operator::isReady);
    }

    /** No reconciliation ended in an exception (JOSDK logs those with their stack trace). */
    private void assertNothingThrown() {
        assertThat(List.copyOf(logs.list)).noneMatch(e -> e.getThrowableProxy() != null && e.getLevel().isGreaterOrEqual(Level.WARN));
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return await().atMost(WAIT).until(() -> user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(),
                c -> c != null && c.getStatus() != null && condition.test(c));
    }

    private StatefulSet statefulSet() {
        return user.apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
