package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.DesiredStatefulSet;
import io.harperdb.operator.resources.MemberAddress;
import io.harperdb.operator.resources.TemplateHash;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restart on demand, on the mock API server: the annotation {@value DesiredStatefulSet#RESTARTED_AT_ANNOTATION} on the
 * HarperCluster, or {@code kubectl rollout restart} on its StatefulSet, rolls the pods one at a time, highest ordinal
 * first, and only while the cluster is Ready. The members are stood in by {@link StandIn}; {@link Pods} stands in for
 * the StatefulSet controller and the kubelet.
 */
class RestartOnDemandTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> NAMES = List.of("demo-0", "demo-1", "demo-2");

    private MockKubernetes kubernetes;
    private KubernetesClient user;
    private List<StandIn> members;
    private RunningOperator operator;
    private Pods pods;

    private void start(boolean connected) {
        kubernetes = new MockKubernetes();
        user = kubernetes.newUserClient();
        members = NAMES.stream().map(n -> new StandIn(n, NAMES.stream().filter(p -> !p.equals(n)).toList(), connected)).toList();
        operator = new RunningOperator(kubernetes, new HarperClientFactory(RunningOperator.TEST_TIMEOUTS),
                (cluster, ordinal) -> new MemberAddress("demo-" + ordinal, "demo-" + ordinal, "demo-" + ordinal, members.get(ordinal).url()));
        pods = new Pods(user);
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 3);
        cluster.getSpec().setPollInterval("1s");
        user.resource(cluster).create();
        await("3 pods").atMost(WAIT).until(() -> user.pods().inNamespace(NAMESPACE).list().getItems().size() == 3);
    }

    @AfterEach
    void stop() throws Exception {
        pods.close();
        operator.close();
        for (StandIn member : members) {
            member.close();
        }
        user.close();
        kubernetes.close();
    }

    @Test
    void theClusterAnnotationRollsEveryPodOnceOneAtATime() {
        start(true);
        awaitPhase(Phase.READY);
        String before = desiredHash();

        annotate("2026-12-03T04:00:00Z");

        await("every pod restarted").atMost(WAIT).until(() -> pods.restarts().size() == 3 && allCurrent());
        assertThat(desiredHash()).isNotEqualTo(before);
        assertThat(statefulSet().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(DesiredStatefulSet.RESTARTED_AT_ANNOTATION, "2026-12-03T04:00:00Z");
        assertThat(pods.restarts()).containsExactly("demo-2", "demo-1", "demo-0");
        assertThat(pods.mostMissingAtOnce()).isEqualTo(1);
        assertThat(events("RestartingPod")).hasSize(3);

        // the same value again asks for nothing; a new one for another restart
        pause(Duration.ofSeconds(3));
        assertThat(pods.restarts()).hasSize(3);
        annotate("2026-12-03T05:00:00Z");
        await("restarted again").atMost(WAIT).until(() -> pods.restarts().size() == 6 && allCurrent());
    }

    @Test
    void kubectlRolloutRestartOnTheStatefulSetIsKeptAndRollsThePods() {
        start(true);
        awaitPhase(Phase.READY);
        String before = desiredHash();

        // what `kubectl rollout restart statefulset/demo` sends
        user.apps().statefulSets().inNamespace(NAMESPACE).withName("demo").edit(s -> {
            Map<String, String> annotations = new HashMap<>(s.getSpec().getTemplate().getMetadata().getAnnotations());
            annotations.put(DesiredStatefulSet.KUBECTL_RESTARTED_AT_ANNOTATION, "2026-12-03T04:00:00Z");
            s.getSpec().getTemplate().getMetadata().setAnnotations(annotations);
            return s;
        });

        await("every pod restarted").atMost(WAIT).until(() -> pods.restarts().size() == 3 && allCurrent());
        assertThat(desiredHash()).isNotEqualTo(before);
        assertThat(statefulSet().getSpec().getTemplate().getMetadata().getAnnotations())
                .as("not reverted").containsEntry(DesiredStatefulSet.KUBECTL_RESTARTED_AT_ANNOTATION, "2026-12-03T04:00:00Z");
        assertThat(pods.restarts()).containsExactly("demo-2", "demo-1", "demo-0");
        assertThat(pods.mostMissingAtOnce()).isEqualTo(1);
    }

    @Test
    void noPodRestartsWhileTheClusterIsNotReady() {
        start(false);    // every link down: Degraded
        awaitPhase(Phase.DEGRADED);

        annotate("2026-12-03T04:00:00Z");

        await("template changed").atMost(WAIT).until(() -> statefulSet().getSpec().getTemplate().getMetadata().getAnnotations()
                .containsKey(DesiredStatefulSet.RESTARTED_AT_ANNOTATION));
        pause(Duration.ofSeconds(4));    // several rounds (pollInterval 1s)
        assertThat(pods.restarts()).isEmpty();
        assertThat(events("RestartingPod")).isEmpty();
    }

    private void annotate(String restartedAt) {
        user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").edit(c -> {
            Map<String, String> annotations = new HashMap<>(c.getMetadata().getAnnotations() == null ? Map.of() : c.getMetadata().getAnnotations());
            annotations.put(DesiredStatefulSet.RESTARTED_AT_ANNOTATION, restartedAt);
            c.getMetadata().setAnnotations(annotations);
            return c;
        });
    }

    private void awaitPhase(Phase phase) {
        await(phase.toString()).atMost(WAIT).until(() -> user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(),
                c -> c.getStatus() != null && c.getStatus().getPhase() == phase);
    }

    private boolean allCurrent() {
        String desired = desiredHash();
        List<Pod> list = user.pods().inNamespace(NAMESPACE).list().getItems();
        return list.size() == 3 && list.stream().allMatch(p -> desired.equals(TemplateHash.current(p)));
    }

    private StatefulSet statefulSet() {
        return user.apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get();
    }

    private String desiredHash() {
        return TemplateHash.desired(statefulSet());
    }

    private List<Event> events(String reason) {
        return user.v1().events().inNamespace(NAMESPACE).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    private static void pause(Duration duration) {
        await().pollDelay(duration).atMost(duration.plusSeconds(2)).until(() -> true);
    }

    /**
     * The StatefulSet controller and kubelet, stood in: pods 0..replicas-1 made Ready from the current template; a pod
     * deleted comes back a second later (a restart takes a while), and that is recorded.
     */
    static final class Pods implements AutoCloseable {
        private final KubernetesClient client;
        private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();
        private final Map<String, Boolean> made = new ConcurrentHashMap<>();
        private final List<String> restarts = new CopyOnWriteArrayList<>();
        private final AtomicInteger mostMissing = new AtomicInteger();

        Pods(KubernetesClient client) {
            this.client = client;
            loop.scheduleWithFixedDelay(this::tick, 0, 200, TimeUnit.MILLISECONDS);
        }

        List<String> restarts() {
            return List.copyOf(restarts);
        }

        int mostMissingAtOnce() {
            return mostMissing.get();
        }

        private void tick() {
            try {
                StatefulSet set = client.apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get();
                if (set == null) {
                    return;
                }
                int missing = 0;
                for (int i = 0; i < set.getSpec().getReplicas(); i++) {
                    String name = "demo-" + i;
                    if (client.pods().inNamespace(NAMESPACE).withName(name).get() != null) {
                        continue;
                    }
                    boolean restart = made.containsKey(name);
                    if (restart) {
                        missing++;
                        Instant since = missingSince.computeIfAbsent(name, n -> Instant.now());
                        if (Duration.between(since, Instant.now()).toMillis() < 1000) {
                            continue;
                        }
                        restarts.add(name);
                        missingSince.remove(name);
                    }
                    client.resource(new PodBuilder()
                            .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                            .withLabels(set.getSpec().getTemplate().getMetadata().getLabels())
                            .withAnnotations(set.getSpec().getTemplate().getMetadata().getAnnotations())
                            .endMetadata()
                            .withSpec(set.getSpec().getTemplate().getSpec())
                            .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                            .build()).create();
                    made.put(name, true);
                }
                mostMissing.accumulateAndGet(missing, Math::max);
            } catch (RuntimeException e) {
                // the next tick tries again
            }
        }

        @Override
        public void close() throws InterruptedException {
            loop.shutdownNow();
            loop.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
