package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.ClusterAwait;
import io.harperdb.operator.testing.FakeKubelet;
import io.harperdb.testing.HarperDb;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale-down loses no acknowledged write, against real HarperDB 4.7.29: clients write all the time to every pod
 * the client Service selects (read from the API server before each write, as kube-proxy routes), the cluster goes
 * from 5 to 3, and afterwards every acknowledged record is on every survivor. A fake kubelet runs fixture
 * instance {@code i} for pod {@code demo-i}.
 */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb(instances = 5, resetBeforeEach = false)
class DrainEndToEndTest {
    private static final Logger LOG = LoggerFactory.getLogger(DrainEndToEndTest.class);
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    private static final int WRITERS = 2;

    private HarperDbCluster real;
    private OperatorOnFixture k8s;
    private KubernetesClient user;
    private FakeKubelet kubelet;
    private HarperDbTable table;

    @BeforeEach
    void start(HarperDbCluster real) {
        this.real = real;
        real.reinstall(); // fresh instances (spares made ready while the last test ran), not a reset of used ones
        table = HarperDbTable.onEveryInstance(real, "drained");
        k8s = new OperatorOnFixture(real);
        user = k8s.user();
        kubelet = k8s.kubelet();
    }

    @AfterEach
    void stop() {
        k8s.close();
    }

    @Test
    void scalingFiveToThreeUnderWritesLosesNoAcknowledgedRecord() throws Exception {
        k8s.createCluster(5);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "5/5".equals(c.getStatus().getReadyMembers()));

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> acknowledgedBy = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                int n = 0;
                while (writing.get()) {
                    // as kube-proxy routes: the pods the client Service selects now, each in turn
                    for (int ordinal : servedOrdinals()) {
                        String id = "w" + writer + "-" + (n++) + "-pod" + ordinal;
                        if (table.insert(ordinal, id)) {
                            acknowledged.add(id);
                            acknowledgedBy.computeIfAbsent(ordinal, k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                }
            }, "client-" + w);
            thread.setDaemon(true);
            thread.start();
            writers.add(thread);
        }
        // through ClusterAwait: on timeout it shows the cluster's status (which pod is not admitted, and why)
        awaitCluster(c -> IntStream.range(0, 5).allMatch(i -> acknowledgedBy.containsKey(i) && acknowledgedBy.get(i).get() >= 30));

        ManagedResourcesTest.editCluster(user, c -> c.getSpec().getInstances().setReplicas(3));
        // the phases and Scaling reasons the cluster shows on the way
        Set<String> shown = ConcurrentHashMap.newKeySet();
        Thread watcher = new Thread(() -> {
            while (writing.get()) {
                try {
                    HarperCluster c = user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get();
                    c.getStatus().getConditions().stream().filter(s -> Conditions.SCALING.equals(s.getType()))
                            .forEach(s -> shown.add(c.getStatus().getPhase() + "/" + s.getReason()));
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {    // next time
                }
            }
        }, "status-watcher");
        watcher.setDaemon(true);
        watcher.start();
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        await().atMost(CONVERGE).until(() -> !real.instance(3).isRunning() && !real.instance(4).isRunning());
        // the survivors keep taking writes a little longer
        int before = acknowledged.size();
        await().atMost(CONVERGE).until(() -> acknowledged.size() > before + 20);
        writing.set(false);
        for (Thread thread : writers) {
            thread.join(30_000);
        }
        LOG.info("acknowledged {} records, by pod {}", acknowledged.size(), acknowledgedBy);
        assertThat(kubelet.replicasSeen()).containsSubsequence(5, 3);
        watcher.join(5_000);

        for (int survivor = 0; survivor < 3; survivor++) {
            int s = survivor;
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> table.ids(s).containsAll(acknowledged));
            } catch (ConditionTimeoutException e) {
                Set<String> missing = new TreeSet<>(acknowledged);
                missing.removeAll(table.ids(s));
                throw new AssertionError(missing.size() + " acknowledged records missing on " + real.instance(s).hostname()
                        + ", e.g. " + missing.stream().limit(10).toList(), e);
            }
            LOG.info("{} holds all {} acknowledged records ({} in all)", real.instance(s).hostname(), acknowledged.size(), table.ids(s).size());
        }
        // users saw it drain
        assertThat(shown).contains(Phase.RECONCILING + "/Draining");
    }

    @Test
    void aMemberBackOnItsOldVolumeEndsWithTheDataOfItsPeers() {
        k8s.createCluster(3);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        assertThat(table.insert(0, "before")).isTrue();
        await().atMost(CONVERGE).until(() -> table.ids(2).contains("before"));

        // demo-2 leaves; its volume stays (the fake kubelet stops its instance, data kept)
        ManagedResourcesTest.editCluster(user, c -> c.getSpec().getInstances().setReplicas(2));
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "2/2".equals(c.getStatus().getReadyMembers()));
        await().atMost(CONVERGE).until(() -> !real.instance(2).isRunning());
        // written on both staying members over about 10 s while it is away
        for (int i = 0; i < 50; i++) {
            assertThat(table.insert(i % 2, "while-away-" + i)).isTrue();
            sleep(200);
        }
        assertThat(table.ids(1)).hasSize(51).contains("while-away-49");

        ManagedResourcesTest.editCluster(user, c -> c.getSpec().getInstances().setReplicas(3));
        await().atMost(CONVERGE).until(() -> real.instance(2).isRunning());
        long back = System.nanoTime();
        // it takes client traffic only once it has caught up: at that moment it holds every record written so far
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).until(() -> servedOrdinals().contains(2));
        Set<String> whenServing = table.ids(2);
        LOG.info("the returning member serves clients {} ms after its restart, holding {} records",
                (System.nanoTime() - back) / 1_000_000, whenServing.size());
        assertThat(whenServing).as("records of the returning member when it starts serving").containsAll(table.ids(0));
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        LOG.info("the returning member holds {} records when the cluster is Ready again ({} ms after its restart)",
                table.ids(2).size(), (System.nanoTime() - back) / 1_000_000);
        assertThat(table.insert(0, "after")).isTrue();
        await().atMost(CONVERGE).until(() -> table.ids(1).contains("after") && table.ids(0).containsAll(table.ids(1)) && table.ids(1).containsAll(table.ids(0)));
        Set<String> peers = table.ids(0);
        LOG.info("the peers hold {}; the returning member {}", peers, table.ids(2));
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> table.ids(2).equals(peers));
            LOG.info("the returning member holds the same {} records as its peers {} ms after its restart", peers.size(),
                    (System.nanoTime() - back) / 1_000_000);
        } catch (ConditionTimeoutException e) {
            Set<String> missing = new TreeSet<>(peers);
            missing.removeAll(table.ids(2));
            throw new AssertionError("the returning member misses " + missing, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The ordinals of the pods the client Service selects, Ready ones only (its endpoints). */
    private List<Integer> servedOrdinals() {
        try {
            Service service = user.services().inNamespace(NAMESPACE).withName("demo").get();
            if (service == null) {
                return List.of();
            }
            Map<String, String> selector = service.getSpec().getSelector();
            List<Integer> ordinals = new ArrayList<>();
            for (Pod pod : user.pods().inNamespace(NAMESPACE).withLabels(selector).list().getItems()) {
                boolean ready = pod.getStatus() != null && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
                String name = pod.getMetadata().getName();
                if (ready && pod.getMetadata().getDeletionTimestamp() == null && name.startsWith("demo-")) {
                    ordinals.add(Integer.parseInt(name.substring("demo-".length())));
                }
            }
            return ordinals;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return ClusterAwait.until(user, NAMESPACE, "demo", CONVERGE, condition);
    }
}
