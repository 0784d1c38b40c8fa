package io.harperdb.operator.testing.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.testing.HarperDbFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod-contract tier of the tests: a stand-in for the StatefulSet controller and the kubelet that
 * runs the pods the operator asks for from nothing but what the operator wrote to the API server.
 *
 * <p>For each StatefulSet of a namespace it creates pods {@code <name>-0 .. <name>-(replicas-1)} from the
 * template (with their claims, hostname and subdomain, as the StatefulSet controller does), deletes those
 * at or above the replicas (and their claims when the retention policy says so), and recreates a pod that
 * someone else deleted from the current template (an OnDelete rollout). Each pod runs as its containers
 * ({@link RunningContainer}): the HarperDB container as a real HarperDB from the npm package, with that
 * container's environment; the sidecar from the operator's image laid out by the Dockerfile
 * ({@link OperatorImage}) with its exact command; Secrets mounted as files; probes run as declared. A pod's
 * Ready condition comes from its readiness probes alone. Each pod has a loopback address and the cluster
 * DNS ({@link PodNetwork}): {@code <pod>.<service>.<namespace>.svc[.cluster.local]} once the StatefulSet's
 * headless Service exists.
 *
 * <p>It also runs hosts outside the cluster ({@link #runHost}), HarperDB instances with a DNS name of their
 * own, as a VM or another region would be.
 */
public final class PodKubelet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodKubelet.class);

    private final KubernetesClient client;
    private final String namespace;
    private final PodNetwork network;
    private final Path dir;
    private final String operatorImageName;
    private final OperatorImage operatorImage;
    private final Map<String, RunningPod> pods = new ConcurrentHashMap<>();
    private final Map<String, PodStatus> written = new ConcurrentHashMap<>();
    private final Map<String, RunningPod> hosts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "pod-kubelet"));
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> daemon(r, "pod-kubelet-probes"));
    private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param operatorImageName the image name that the operator's sidecar containers use (OPERATOR_IMAGE)
     * @param dir               where pods, claims and the image live; emptied first
     */
    public PodKubelet(KubernetesClient client, String namespace, PodNetwork network, Path dir, String operatorImageName) {
        this.client = client;
        this.namespace = namespace;
        this.network = network;
        this.dir = dir.toAbsolutePath();
        this.operatorImageName = operatorImageName;
        HarperDbFixture.deleteRecursively(this.dir);
        this.operatorImage = OperatorImage.build(Path.of("").toAbsolutePath(), this.dir.resolve("operator-image"));
        loop.scheduleWithFixedDelay(this::tick, 0, 500, TimeUnit.MILLISECONDS);
    }

    public PodNetwork network() {
        return network;
    }

    /** What happened, in order: "create demo-0", "delete demo-2", "restart demo-1/harperdb", ... */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** The address of a running pod, or null. */
    public String podIp(String pod) {
        RunningPod running = pods.get(pod);
        return running == null ? null : running.ip();
    }

    /** Restarts of a container of a running pod (liveness or exit), 0 when none or not running. */
    public int restarts(String pod, String container) {
        RunningPod running = pods.get(pod);
        return running == null ? 0 : running.containers().stream().filter(c -> c.name().equals(container))
                .mapToInt(RunningContainer::restarts).sum();
    }

    /** The log file of a container of a pod. */
    public Path log(String pod, String container) {
        return dir.resolve("pods").resolve(pod).resolve("logs").resolve(container + ".log");
    }

    /**
     * A HarperDB outside the cluster (a VM, another region) named {@code hostname} in DNS, installed with the
     * given super_user. Its Operations API is https (HarperDB's self-signed certificate) when {@code https}.
     *
     * @return its address
     */
    public String runHost(String hostname, String username, String password, boolean https) {
        return runHost(hostname, username, password, https, null);
    }

    /**
     * As {@link #runHost(String, String, String, boolean)}, with replication certificates of its own when {@code tlsSecret}
     * names a Secret (keys tls.crt, tls.key and ca.crt): mounted at /etc/harperdb/tls and given to HarperDB as its
     * tls.certificate, tls.privateKey and tls.certificateAuthority.
     */
    public String runHost(String hostname, String username, String password, boolean https, String tlsSecret) {
        String ip = network.address("host/" + hostname);
        network.publish("host/" + hostname, List.of(hostname));
        Container container = new ContainerBuilder()
                .withName("harperdb")
                .withImage("harperdb/harperdb:4.7.29")
                .addNewEnv().withName("TC_AGREEMENT").withValue("yes").endEnv()
                .addNewEnv().withName("HDB_ADMIN_USERNAME").withValue(username).endEnv()
                .addNewEnv().withName("HDB_ADMIN_PASSWORD").withValue(password).endEnv()
                .addNewEnv().withName("ROOTPATH").withValue("/home/harperdb/hdb").endEnv()
                .addNewEnv().withName("DEFAULTS_MODE").withValue("prod").endEnv()
                .addNewEnv().withName("THREADS_COUNT").withValue("1").endEnv()
                .addNewEnv().withName("LOCALSTUDIO_ENABLED").withValue("false").endEnv()
                .addNewEnv().withName("REPLICATION_HOSTNAME").withValue(hostname).endEnv()
                .addNewEnv().withName("REPLICATION_SECUREPORT").withValue("9933").endEnv()
                .addNewEnv().withName("OPERATIONSAPI_NETWORK_PORT").withValue(https ? "null" : "9925").endEnv()
                .addNewEnv().withName("OPERATIONSAPI_NETWORK_SECUREPORT").withValue(https ? "9925" : "null").endEnv()
                .addNewEnv().withName("HTTP_PORT").withValue("9926").endEnv()
                .addNewEnv().withName("HTTP_SECUREPORT").withValue("null").endEnv()
                .addNewVolumeMount().withName("data").withMountPath("/home/harperdb/hdb").endVolumeMount()
                .withNewReadinessProbe().withNewTcpSocket().withNewPort(9925).endTcpSocket().withPeriodSeconds(1).endReadinessProbe()
                .build();
        if (tlsSecret != null) {
            container.getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar("TLS_CERTIFICATE", "/etc/harperdb/tls/tls.crt", null));
            container.getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar("TLS_PRIVATEKEY", "/etc/harperdb/tls/tls.key", null));
            container.getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar("TLS_CERTIFICATEAUTHORITY", "/etc/harperdb/tls/ca.crt", null));
            container.getVolumeMounts().add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName("tls")
                    .withMountPath("/etc/harperdb/tls").build());
        }
        Pod pod = new PodBuilder().withNewMetadata().withName(hostname).withNamespace(namespace).endMetadata()
                .withNewSpec().withContainers(container)
                .addToVolumes(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim().withClaimName("host-" + hostname.replace('.', '-'))
                        .endPersistentVolumeClaim().build())
                .endSpec().build();
        if (tlsSecret != null) {
            pod.getSpec().getVolumes().add(new VolumeBuilder().withName("tls").withNewSecret().withSecretName(tlsSecret).endSecret().build());
        }
        RunningPod host = new RunningPod(pod, ip, dir.resolve("hosts").resolve(hostname.replace('.', '-')), dir.resolve("claims"),
                network.hostsFile(), objects(), this::image);
        hosts.put(hostname, host);
        host.start();
        return ip;
    }

    /** Whether a host of {@link #runHost} answers. */
    public boolean hostReady(String hostname) {
        RunningPod host = hosts.get(hostname);
        return host != null && host.ready();
    }

    private void tick() {
        try {
            List<StatefulSet> sets = client.apps().statefulSets().inNamespace(namespace).list().getItems();
            List<String> wanted = new ArrayList<>();
            for (StatefulSet set : sets) {
                wanted.addAll(sync(set));
            }
            for (String pod : List.copyOf(pods.keySet())) {
                if (!wanted.contains(pod)) {
                    stopPod(pod, "its StatefulSet is gone");
                }
            }
            pods.values().forEach(p -> probes.submit(p::tick));
            hosts.values().forEach(h -> probes.submit(h::tick));
            writeStatuses(sets);
        } catch (RuntimeException e) {
            LOG.warn("pod kubelet: {}", e.toString(), e);
        }
    }

    /** The StatefulSet controller's part for one set; answers the names of the pods it keeps. */
    private List<String> sync(StatefulSet set) {
        String name = set.getMetadata().getName();
        int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        boolean serviceExists = client.services().inNamespace(namespace).withName(set.getSpec().getServiceName()).get() != null;
        List<String> kept = new ArrayList<>();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            String podName = name + "-" + ordinal;
            kept.add(podName);
            network.publish(podName, serviceExists ? dnsNames(podName, set) : List.of());
            Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
            RunningPod running = pods.get(podName);
            if (running != null && (pod == null || pod.getMetadata().getDeletionTimestamp() != null)) {
                stopPod(podName, "deleted");
                running = null;
            }
            if (pod == null) {
                pod = client.resource(newPod(set, podName)).create();
                events.add("create " + podName);
            }
            if (running == null && pod.getMetadata().getDeletionTimestamp() == null) {
                startPod(pod);
            }
        }
        // Scale-down: the highest ordinals go.
        for (Pod pod : client.pods().inNamespace(namespace).withLabels(set.getSpec().getSelector().getMatchLabels()).list().getItems()) {
            String podName = pod.getMetadata().getName();
            if (!kept.contains(podName) && podName.startsWith(name + "-")) {
                client.resource(pod).delete();
                events.add("delete " + podName);
                stopPod(podName, "scaled down");
                network.publish(podName, List.of());
                if (set.getSpec().getPersistentVolumeClaimRetentionPolicy() != null
                        && "Delete".equals(set.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled())) {
                    deleteClaims(set, podName);
                }
            }
        }
        return kept;
    }

    private List<String> dnsNames(String pod, StatefulSet set) {
        String service = set.getSpec().getServiceName();
        return List.of(pod + "." + service + "." + namespace + ".svc.cluster.local", pod + "." + service + "." + namespace + ".svc");
    }

    private Pod newPod(StatefulSet set, String podName) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(podName)
                .withNamespace(namespace)
                .withLabels(set.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels("statefulset.kubernetes.io/pod-name", podName)
                .withAnnotations(set.getSpec().getTemplate().getMetadata().getAnnotations())
                .endMetadata()
                .withSpec(set.getSpec().getTemplate().getSpec())
                .editSpec().withHostname(podName).withSubdomain(set.getSpec().getServiceName()).endSpec();
        for (PersistentVolumeClaim claim : set.getSpec().getVolumeClaimTemplates() == null
                ? List.<PersistentVolumeClaim>of() : set.getSpec().getVolumeClaimTemplates()) {
            pod.editSpec().addToVolumes(new VolumeBuilder().withName(claim.getMetadata().getName())
                    .withNewPersistentVolumeClaim().withClaimName(claim.getMetadata().getName() + "-" + podName).endPersistentVolumeClaim()
                    .build()).endSpec();
        }
        return pod.withNewStatus().withPhase("Pending").endStatus().build();
    }

    private void startPod(Pod pod) {
        String podName = pod.getMetadata().getName();
        RunningPod running = new RunningPod(pod, network.address(podName), dir.resolve("pods").resolve(podName), dir.resolve("claims"),
                network.hostsFile(), objects(), this::image);
        pods.put(podName, running);
        running.start();
        events.add("start " + podName);
    }

    private void stopPod(String podName, String why) {
        RunningPod running = pods.remove(podName);
        written.remove(podName);
        if (running != null) {
            LOG.info("stopping pod {}: {}", podName, why);
            running.stop();
            events.add("stop " + podName);
        }
    }

    private void deleteClaims(StatefulSet set, String podName) {
        for (PersistentVolumeClaim claim : set.getSpec().getVolumeClaimTemplates()) {
            HarperDbFixture.deleteRecursively(dir.resolve("claims").resolve(claim.getMetadata().getName() + "-" + podName));
        }
    }

    private ContainerImage image(Container container) {
        if (HarperDbImage.runs(container.getImage())) {
            return new HarperDbImage(dir.resolve("layers").resolve(container.getName() + "-" + System.nanoTime()));
        }
        if (Objects.equals(container.getImage(), operatorImageName)) {
            return operatorImage;
        }
        throw new IllegalStateException("the test kubelet cannot run image " + container.getImage() + " (it runs harperdb/harperdb and "
                + operatorImageName + ")");
    }

    private RunningPod.Objects objects() {
        return new RunningPod.Objects(
                name -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get())
                        .map((Secret s) -> RunningPod.decode(s.getData(), s.getStringData())),
                name -> Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get())
                        .map(ConfigMap::getData));
    }

    /** Pod phase, Ready and ContainersReady, container statuses and the pod's address, written when they change. */
    private void writeStatuses(List<StatefulSet> sets) {
        for (RunningPod running : pods.values()) {
            PodStatus status = status(running);
            if (status.equals(written.get(running.name()))) {
                continue;
            }
            Pod current = client.pods().inNamespace(namespace).withName(running.name()).get();
            if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            current.setStatus(status);
            client.resource(current).updateStatus();
            written.put(running.name(), status);
        }
        for (StatefulSet set : sets) {
            int ready = (int) pods.values().stream().filter(p -> p.name().startsWith(set.getMetadata().getName() + "-") && p.ready()).count();
            int replicas = (int) pods.keySet().stream().filter(p -> p.startsWith(set.getMetadata().getName() + "-")).count();
            if (set.getStatus() == null || !Objects.equals(set.getStatus().getReadyReplicas(), ready)
                    || !Objects.equals(set.getStatus().getReplicas(), replicas)) {
                client.apps().statefulSets().inNamespace(namespace).withName(set.getMetadata().getName()).editStatus(s -> {
                    s.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                            .withReplicas(replicas).withReadyReplicas(ready).withAvailableReplicas(ready)
                            .withObservedGeneration(s.getMetadata().getGeneration()).build());
                    return s;
                });
            }
        }
    }

    private static PodStatus status(RunningPod pod) {
        List<ContainerStatus> containers = pod.containers().stream()
                .map(c -> new ContainerStatusBuilder().withName(c.name()).withReady(c.ready()).withStarted(c.started())
                        .withRestartCount(c.restarts()).build())
                .toList();
        String ready = pod.ready() ? "True" : "False";
        return new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP(pod.ip())
                .addNewCondition().withType("ContainersReady").withStatus(ready).endCondition()
                .addNewCondition().withType("Ready").withStatus(ready).endCondition()
                .withContainerStatuses(containers)
                .build();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List.copyOf(pods.keySet()).forEach(p -> stopPod(p, "the kubelet stops"));
        hosts.values().forEach(RunningPod::stop);
        hosts.clear();
        probes.shutdownNow();
    }
}
