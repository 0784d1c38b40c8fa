package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Instances;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.TemplateHash;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes resources of managed instances, on the mock API server. No HarperDB runs: every member
 * answers "connection refused", which is enough to see what the operator creates and updates.
 */
@Isolated("captures the root logger's events: other classes' would mix in")
class ManagedResourcesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final OperatorOnMockApi api = OperatorOnMockApi.managedPodsUnreachable();
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void start() {
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void stop() {
        root().detachAppender(logs);
    }

    @Test
    void theManagedResourcesAppearOwnedByTheCluster() {
        HarperCluster cluster = api.user().resource(managedCluster("demo", 3)).create();
        String uid = cluster.getMetadata().getUid();

        StatefulSet statefulSet = await().atMost(WAIT).until(() -> statefulSet("demo"), s -> s != null);
        assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(3);
        Service headless = await().atMost(WAIT).until(() -> service("demo-hdb"), s -> s != null);
        Service client = await().atMost(WAIT).until(() -> service("demo"), s -> s != null);
        PodDisruptionBudget budget = await().atMost(WAIT).until(() -> budget("demo"), b -> b != null);
        Secret admin = await().atMost(WAIT).until(() -> secret("demo-admin"), s -> s != null);
        for (HasMetadata owned : List.of(statefulSet, headless, client, budget)) {
            assertThat(controllerOf(owned)).as(owned.getKind() + " " + owned.getMetadata().getName())
                    .satisfies(o -> {
                        assertThat(o.getUid()).isEqualTo(uid);
                        assertThat(o.getKind()).isEqualTo("HarperCluster");
                        assertThat(o.getName()).isEqualTo("demo");
                    });
        }
        // The admin Secret outlives the cluster on purpose (see AdminSecret): the retained volume claims
        // hold data installed with its password, and a cluster created again on them must find it.
        assertThat(admin.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(admin.getData()).containsKeys("username", "password");

        // Each pod is a member, unreachable here.
        HarperCluster observed = awaitCluster(c -> c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == 3);
        assertThat(observed.getStatus().getMembers()).extracting(MemberStatus::getName).containsExactly("demo-0", "demo-1", "demo-2");
        assertThat(observed.getStatus().getReadyMembers()).isEqualTo("0/3");
    }

    @Test
    void specChangesUpdateTheResources() {
        api.user().resource(managedCluster("demo", 3)).create();
        StatefulSet before = await().atMost(WAIT).until(() -> statefulSet("demo"), s -> s != null);
        await().atMost(WAIT).until(() -> budget("demo"), b -> b != null);

        editCluster(api.user(), c -> {
            c.getSpec().getInstances().setReplicas(5);
            c.getSpec().getInstances().setImage("harperdb/harperdb:4.7.30");
        });

        StatefulSet after = await().atMost(WAIT).until(() -> statefulSet("demo"), s -> s.getSpec().getReplicas() == 5);
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("harperdb/harperdb:4.7.30");
        assertThat(TemplateHash.desired(after)).isNotEqualTo(TemplateHash.desired(before));
        await().atMost(WAIT).until(() -> budget("demo").getSpec().getMaxUnavailable().getIntVal() == 2);
        awaitCluster(c -> c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == 5);

        // Lowering replicas keeps the pods until they are drained and out of the mesh; unreachable members never show that.
        editCluster(api.user(), c -> c.getSpec().getInstances().setReplicas(2));
        HarperCluster scaling = awaitCluster(c -> Conditions.isTrue(c.getStatus().getConditions(), Conditions.SCALING));
        assertThat(scaling.getStatus().getConditions()).filteredOn(c -> Conditions.SCALING.equals(c.getType()))
                .singleElement().satisfies(c -> {
                    assertThat(c.getReason()).isEqualTo("Draining");
                    assertThat(c.getMessage()).startsWith("draining demo-2 (waiting for ").contains("demo-3 (waiting for ", "demo-4 (waiting for ")
                            .endsWith(") before removing them from the mesh and scaling down");
                });
        assertThat(scaling.getStatus().getPhase()).isNotEqualTo(Phase.READY);
        assertThat(statefulSet("demo").getSpec().getReplicas()).isEqualTo(5);
        assertThat(scaling.getStatus().getReadyMembers()).isEqualTo("0/2");
    }

    @Test
    void theClientServiceFollowsItsTypeAndAnnotationsAndKeepsItsNodePorts() {
        api.user().resource(managedCluster("demo", 3)).create();
        await().atMost(WAIT).until(() -> service("demo"), s -> s != null);
        // annotations that another controller (a cloud's load balancer) wrote stay
        api.user().services().inNamespace(NAMESPACE).withName("demo").edit(s -> {
            s.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("cloud.example/lb-id", "lb-1")));
            return s;
        });

        editCluster(api.user(), c -> {
            io.harperdb.operator.api.ClientService settings = new io.harperdb.operator.api.ClientService();
            settings.setType(io.harperdb.operator.api.ClientService.Type.NodePort);
            settings.setAnnotations(Map.of("example.com/internal", "true"));
            c.getSpec().getInstances().setClientService(settings);
        });
        Service nodePort = await().atMost(WAIT).until(() -> service("demo"), s -> "NodePort".equals(s.getSpec().getType()));
        assertThat(nodePort.getMetadata().getAnnotations()).containsEntry("example.com/internal", "true")
                .containsEntry("cloud.example/lb-id", "lb-1");
        assertThat(nodePort.getSpec().getSelector()).containsEntry("harperdb.io/serving", "true");

        // the node ports the API server gave survive the operator's next update
        api.user().services().inNamespace(NAMESPACE).withName("demo").edit(s -> {
            s.getSpec().getPorts().forEach(p -> p.setNodePort(30000 + p.getPort() % 1000));
            s.getMetadata().getLabels().remove("app.kubernetes.io/component");
            return s;
        });
        Service relabelled = await().atMost(WAIT).until(() -> service("demo"),
                s -> s.getMetadata().getLabels().containsKey("app.kubernetes.io/component"));
        assertThat(relabelled.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getNodePort())
                .containsExactly("operations:30925", "operations-tls:30924", "http:30926");
    }

    @Test
    void anUnchangedManagedClusterWritesNothing() {
        api.user().resource(managedCluster("demo", 3)).create();
        await().atMost(WAIT).until(() -> statefulSet("demo") != null && budget("demo") != null);
        awaitCluster(c -> c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == 3);
        api.operator().awaitRounds(2);
        api.kubernetes().clearRequests();

        // Several rounds (pollInterval 2s; the unreachable members back off to at most that).
        api.operator().awaitRounds(3);

        assertThat(api.kubernetes().requests()).as("owned objects come from the informers").noneMatch(r -> r.path().contains("/statefulsets/demo"));
        assertThat(api.kubernetes().writes()).isEmpty();
    }

    @Test
    void anExistingAdminSecretIsUsedAndNeverOverwritten() {
        Secret mine = api.user().resource(Resources.secret("my-admin", "root", "my-Own-Pa55word")).create();
        HarperCluster cluster = managedCluster("demo", 1);
        cluster.getSpec().setAdminSecret("my-admin");
        api.user().resource(cluster).create();

        StatefulSet statefulSet = await().atMost(WAIT).until(() -> statefulSet("demo"), s -> s != null);
        awaitCluster(c -> c.getStatus().getMembers() != null && !c.getStatus().getMembers().isEmpty());
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("my-admin"));
        Secret now = secret("my-admin");
        assertThat(now.getMetadata().getResourceVersion()).isEqualTo(mine.getMetadata().getResourceVersion());
        assertThat(secret("demo-admin")).isNull();
        assertThat(api.kubernetes().writes()).noneMatch(r -> r.path().contains("/secrets/my-admin"));
    }

    @Test
    void theGeneratedPasswordIsNeverLoggedNorInAnEvent() {
        api.user().resource(managedCluster("demo", 2)).create();
        Secret admin = await().atMost(WAIT).until(() -> secret("demo-admin"), s -> s != null);
        String password = new String(Base64.getDecoder().decode(admin.getData().get("password")), StandardCharsets.UTF_8);
        awaitCluster(c -> c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == 2);
        // A few more rounds, each failing to reach the members.
        api.operator().awaitRounds(3);

        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).doesNotContain(password).doesNotContain(admin.getData().get("password"));
        }
        List<Event> events = api.user().v1().events().inNamespace(NAMESPACE).list().getItems();
        assertThat(events).extracting(Event::getReason).contains("AdminSecretCreated");
        for (Event event : events) {
            assertThat(event.getMessage()).doesNotContain(password);
        }
        assertThat(secret("demo-admin").getData()).isEqualTo(admin.getData());
    }

    @Test
    void aDeletedClusterLeavesOnlyObjectsItOwnsForTheGarbageCollector() {
        HarperCluster cluster = api.user().resource(managedCluster("demo", 3)).create();
        await().atMost(WAIT).until(() -> statefulSet("demo") != null && service("demo-hdb") != null && service("demo") != null
                && budget("demo") != null);

        api.user().resource(cluster).delete();
        await().atMost(WAIT).until(() -> api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get() == null);

        // The mock server collects no garbage: what is left must all be owned by the deleted cluster.
        List<HasMetadata> left = List.of(statefulSet("demo"), service("demo-hdb"), service("demo"), budget("demo"));
        for (HasMetadata owned : left) {
            assertThat(controllerOf(owned).getUid()).as(owned.getKind()).isEqualTo(cluster.getMetadata().getUid());
            assertThat(controllerOf(owned).getBlockOwnerDeletion()).isTrue();
        }
        assertThat(api.user().apps().statefulSets().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
        assertThat(api.user().services().inNamespace(NAMESPACE).list().getItems()).hasSize(2);
        assertThat(api.user().policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    }

    @Test
    void onUpgradeTheExistingPodsAreLabelledServingBeforeTheClientServiceSelectsByTheLabel() {
        api.user().resource(managedCluster("demo", 2)).create();
        StatefulSet statefulSet = await().atMost(WAIT).until(() -> statefulSet("demo"), s -> s != null);
        await().atMost(WAIT).until(() -> service("demo"), s -> s != null);
        // as an older operator left it: paused meanwhile, a client Service selecting every pod, pods without the label
        editCluster(api.user(), c -> c.getMetadata().setAnnotations(Map.of(Annotations.PAUSE, "true")));
        awaitCluster(c -> c.getStatus().getPhase() == Phase.PAUSED);
        api.user().services().inNamespace(NAMESPACE).withName("demo").edit(svc -> {
            svc.getSpec().setSelector(Map.of("app.kubernetes.io/name", "harperdb", "app.kubernetes.io/instance", "demo"));
            return svc;
        });
        for (String pod : List.of("demo-0", "demo-1")) {
            api.user().pods().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(pod)
                    .withLabels(statefulSet.getSpec().getTemplate().getMetadata().getLabels()).endMetadata().build()).create();
        }

        editCluster(api.user(), c -> c.getMetadata().setAnnotations(Map.of()));

        Service client = await().atMost(WAIT).until(() -> service("demo"),
                s -> "true".equals(s.getSpec().getSelector().get("harperdb.io/serving")));
        for (String pod : List.of("demo-0", "demo-1")) {
            io.fabric8.kubernetes.api.model.Pod labelled = api.user().pods().inNamespace(NAMESPACE).withName(pod).get();
            assertThat(labelled.getMetadata().getLabels()).containsEntry("harperdb.io/serving", "true");
            // labelled first: the Service never selected by the label while a pod lacked it
            assertThat(Long.parseLong(labelled.getMetadata().getResourceVersion()))
                    .isLessThan(Long.parseLong(client.getMetadata().getResourceVersion()));
        }
    }

    @Test
    void aNewPodOfAClusterWhoseMembersDoNotAnswerTakesNoClientTraffic() {
        api.user().resource(managedCluster("demo", 1)).create();
        StatefulSet statefulSet = await().atMost(WAIT).until(() -> statefulSet("demo"), s -> s != null);
        await().atMost(WAIT).until(() -> service("demo"), s -> "true".equals(s.getSpec().getSelector().get("harperdb.io/serving")));
        api.user().pods().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("demo-0")
                .withLabels(statefulSet.getSpec().getTemplate().getMetadata().getLabels()).endMetadata().build()).create();

        // its member never answers: never shown caught up, never served
        awaitCluster(c -> c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == 1);
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> api.user().pods().inNamespace(NAMESPACE).withName("demo-0").get()
                .getMetadata().getLabels().get("harperdb.io/serving") == null);
    }

    /** A user's spec edit, retried when it races with a status write (409). */
    static void editCluster(KubernetesClient user, java.util.function.Consumer<HarperCluster> change) {
        editCluster(user, NAMESPACE, "demo", change);
    }

    static void editCluster(KubernetesClient user, String namespace, String name, java.util.function.Consumer<HarperCluster> change) {
        await().atMost(WAIT).ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class).until(() -> {
            user.resources(HarperCluster.class).inNamespace(namespace).withName(name).edit(c -> {
                change.accept(c);
                return c;
            });
            return true;
        });
    }

    static HarperCluster managedCluster(String name, int replicas) {
        HarperCluster cluster = Resources.cluster(name);
        Instances instances = new Instances();
        instances.setReplicas(replicas);
        cluster.getSpec().setInstances(instances);
        return cluster;
    }

    private static OwnerReference controllerOf(HasMetadata resource) {
        return resource.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst().orElseThrow(() -> new AssertionError(resource.getKind() + " has no controller reference"));
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return await().atMost(WAIT).until(() -> api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(),
                c -> c != null && c.getStatus() != null && condition.test(c));
    }

    private StatefulSet statefulSet(String name) {
        return api.user().apps().statefulSets().inNamespace(NAMESPACE).withName(name).get();
    }

    private Service service(String name) {
        return api.user().services().inNamespace(NAMESPACE).withName(name).get();
    }

    private PodDisruptionBudget budget(String name) {
        return api.user().policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName(name).get();
    }

    private Secret secret(String name) {
        return api.user().secrets().inNamespace(NAMESPACE).withName(name).get();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
