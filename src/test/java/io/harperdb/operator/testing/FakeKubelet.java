package io.harperdb.operator.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.testing.HarperDbCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test stand-in for the StatefulSet controller and the kubelet: it follows one StatefulSet on the mock
 * API server (polling twice a second) and, for each ordinal below its replicas, runs real HarperDB instance
 * {@code i} of the fixture and creates pod {@code <statefulset>-i} (Ready) once the instance answers; for each
 * ordinal at or beyond the replicas it deletes the pod and stops the instance. Pods carry the template's labels
 * and annotations, as the StatefulSet controller copies them. A pod it made that someone else deletes (a
 * rolling restart) is made again from the current template, its instance restarted on the same data.
 */
public final class FakeKubelet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FakeKubelet.class);

    private final KubernetesClient client;
    private final HarperDbCluster real;
    private final String namespace;
    private final String statefulSet;
    private final IntConsumer onReplicas;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fake-kubelet"));
    private final ExecutorService starts = Executors.newCachedThreadPool(r -> daemon(r, "fake-kubelet-start"));
    private final Map<Integer, Future<?>> starting = new ConcurrentHashMap<>();
    private final List<Integer> replicasSeen = new CopyOnWriteArrayList<>();
    /** Ordinals whose pod this kubelet created and that still stands. */
    private final Set<Integer> podsCreated = ConcurrentHashMap.newKeySet();
    private final List<Integer> restarts = new CopyOnWriteArrayList<>();
    private final AtomicInteger restarting = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    /**
     * @param onReplicas called on the kubelet's thread with each new replica count it sees, before it acts on it
     */
    public FakeKubelet(KubernetesClient client, HarperDbCluster real, String namespace, String statefulSet, IntConsumer onReplicas) {
        this.client = client;
        this.real = real;
        this.namespace = namespace;
        this.statefulSet = statefulSet;
        this.onReplicas = onReplicas;
        loop.scheduleWithFixedDelay(this::tick, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** The StatefulSet's replica counts in the order seen, each once per change. */
    public List<Integer> replicasSeen() {
        return List.copyOf(replicasSeen);
    }

    /** The ordinals whose pod was deleted by someone else and restarted, in order. */
    public List<Integer> restarts() {
        return List.copyOf(restarts);
    }

    /** The most pods restarting at the same time. */
    public int mostRestartingAtOnce() {
        return mostAtOnce.get();
    }

    private void tick() {
        try {
            StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get();
            if (set == null) {
                return;
            }
            int replicas = set.getSpec().getReplicas() == null ? 0 : set.getSpec().getReplicas();
            if (replicasSeen.isEmpty() || replicasSeen.get(replicasSeen.size() - 1) != replicas) {
                replicasSeen.add(replicas);
                LOG.info("StatefulSet {} asks for {} pods", statefulSet, replicas);
                onReplicas.accept(replicas);
            }
            for (int i = 0; i < real.size(); i++) {
                int ordinal = i;
                if (ordinal < replicas) {
                    Future<?> pending = starting.get(ordinal);
                    if (pending != null && !pending.isDone()) {
                        continue;
                    }
                    if (!real.instance(ordinal).isRunning()) {
                        starting.put(ordinal, starts.submit(() -> {
                            real.start(ordinal);
                            createPod(set, ordinal);
                        }));
                    } else if (pod(ordinal) == null && podsCreated.contains(ordinal)) {
                        // Deleted by the operator (a rolling restart): the container restarts, on the same data.
                        LOG.info("pod {} deleted: restarting {}", podName(ordinal), real.instance(ordinal).hostname());
                        podsCreated.remove(ordinal);
                        restarts.add(ordinal);
                        mostAtOnce.accumulateAndGet(restarting.incrementAndGet(), Math::max);
                        starting.put(ordinal, starts.submit(() -> {
                            try {
                                real.stop(ordinal);
                                real.start(ordinal);
                                createPod(currentStatefulSet(), ordinal);
                            } finally {
                                restarting.decrementAndGet();
                            }
                        }));
                    } else if (pod(ordinal) == null) {
                        createPod(set, ordinal);
                    }
                } else {
                    if (pod(ordinal) != null) {
                        client.pods().inNamespace(namespace).withName(podName(ordinal)).delete();
                    }
                    podsCreated.remove(ordinal);
                    if (real.instance(ordinal).isRunning()) {
                        LOG.info("stopping {} ({})", podName(ordinal), real.instance(ordinal).hostname());
                        real.stop(ordinal);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("fake kubelet: {}", e.toString());
        }
    }

    private Pod pod(int ordinal) {
        return client.pods().inNamespace(namespace).withName(podName(ordinal)).get();
    }

    private void createPod(StatefulSet set, int ordinal) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(podName(ordinal))
                .withNamespace(namespace)
                .withLabels(set.getSpec().getTemplate().getMetadata().getLabels())
                .withAnnotations(set.getSpec().getTemplate().getMetadata().getAnnotations())
                .endMetadata()
                .withSpec(set.getSpec().getTemplate().getSpec())
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(real.instance(ordinal).isHealthy() ? "True" : "False").endCondition()
                .endStatus()
                .build();
        client.resource(pod).create();
        podsCreated.add(ordinal);
    }

    private StatefulSet currentStatefulSet() {
        return client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get();
    }

    private String podName(int ordinal) {
        return statefulSet + "-" + ordinal;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        loop.shutdownNow();
        starts.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
