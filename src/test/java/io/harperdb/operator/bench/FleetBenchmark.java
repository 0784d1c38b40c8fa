package io.harperdb.operator.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterSpec;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.HarperNodeSpec;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.api.SecretReference;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole operator, in-process on the Fabric8 mock API, against a {@link SimulatedFleet} (not a test: {@code make
 * bench}). For each fleet size: HarperClusters of three HarperNodes each are created at once, and it prints the seconds
 * until all are Ready, the peak heap and RSS, then over an idle window the HarperDB reads and writes per member per poll,
 * cluster_status reads per member per poll, Kubernetes writes, and process CPU seconds per member per poll. Everything
 * runs in one JVM (operator, mock API server, fleet), so heap, RSS and CPU are upper bounds for the operator alone.
 *
 * <p>Arguments: cluster counts (default 10 100). System properties: {@code fleet.members} (3), {@code fleet.poll}
 * (spec.pollInterval, 3s), {@code fleet.idlePolls} (polls in the idle window, 20: twice the slow cadence), {@code fleet.firstAddress}
 * (127.55.0.1: the members listen on consecutive loopback addresses from there, port 9925).
 */
public final class FleetBenchmark {
    private static final String NAMESPACE = "fleet";
    /** Held, so that its level stays: the mock API server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        int perCluster = Integer.getInteger("fleet.members", 3);
        String poll = System.getProperty("fleet.poll", "3s");
        int idlePolls = Integer.getInteger("fleet.idlePolls", 20);
        String firstAddress = System.getProperty("fleet.firstAddress", "127.55.0.1");
        List<Integer> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Integer.parseInt(a));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10, 100);
        }
        System.out.printf("fleet: %d members per cluster, pollInterval %s, idle window %d polls, %d CPUs, -Xmx %d MiB%n",
                perCluster, poll, idlePolls, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("%8s  %8s  %9s  %9s  %9s  %12s  %12s  %12s  %10s  %12s%n", "clusters", "members", "ready s",
                "peak heap", "peak RSS", "reads/m/p", "status/m/p", "writes/m/p", "k8s writes", "cpu ms/m/p");
        for (int clusters : sizes) {
            run(clusters, perCluster, poll, idlePolls, firstAddress);
        }
        System.exit(0);     // the operator's and the mock server's threads
    }

    private static void run(int clusters, int perCluster, String poll, int idlePolls, String firstAddress) throws Exception {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            for (int m = 0; m < perCluster; m++) {
                names.add(String.format("c%04d-m%d.fleet", c, m));
            }
        }
        Duration pollInterval = io.harperdb.replication.Durations.parse(poll);
        try (SimulatedFleet fleet = new SimulatedFleet(names, firstAddress);
             MockKubernetes kubernetes = new MockKubernetes()) {
            KubernetesClient user = kubernetes.newUserClient();
            user.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
            user.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                    .withMetadata(new ObjectMetaBuilder().withName("admin").withNamespace(NAMESPACE).build())
                    .withStringData(Map.of("username", "admin", "password", "pw")).build()).create();
            System.gc();
            resetPeaks();
            try (RunningOperator operator = new RunningOperator(kubernetes)) {
                long start = System.nanoTime();
                for (int c = 0; c < clusters; c++) {
                    String cluster = String.format("c%04d", c);
                    for (int m = 0; m < perCluster; m++) {
                        SimulatedFleet.Member member = fleet.member(String.format("%s-m%d.fleet", cluster, m));
                        user.resource(node(cluster + "-m" + m, cluster, member.name, member.operationsUrl)).create();
                    }
                    user.resource(cluster(cluster, poll)).create();
                }
                while (ready(user) < clusters) {
                    if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
                        throw new IllegalStateException(ready(user) + " of " + clusters + " clusters Ready after 10 minutes");
                    }
                    Thread.sleep(200);
                }
                double readySeconds = (System.nanoTime() - start) / 1e9;
                long peakHeap = peakHeap();
                // the round after Ready is the first one that reads as settled; then the idle window
                Thread.sleep(2 * pollInterval.toMillis());
                long[] before = counts(fleet);
                int k8sBefore = kubernetes.writes().size();
                long cpuBefore = processCpuNanos();
                Thread.sleep(idlePolls * pollInterval.toMillis());
                long[] after = counts(fleet);
                int k8sWrites = kubernetes.writes().size() - k8sBefore;
                long cpu = processCpuNanos() - cpuBefore;
                int members = names.size();
                double polls = (double) idlePolls;
                System.out.printf("%8d  %8d  %9.1f  %6d MiB  %6d MiB  %12.2f  %12.2f  %12.2f  %10d  %12.2f%n", clusters, members, readySeconds,
                        Math.max(peakHeap, peakHeap()) >> 20, peakRssKib() >> 10,
                        (after[1] - before[1]) / (double) (after[0] - before[0]),
                        (after[0] - before[0]) / (members * polls),
                        (after[2] - before[2]) / (double) (after[0] - before[0]),
                        k8sWrites, cpu / 1e6 / (members * polls));
                if (ready(user) < clusters) {
                    System.out.println("  note: " + (clusters - ready(user)) + " clusters left Ready during the idle window");
                }
            }
        }
    }

    /** Status reads, all reads, writes, over every member. */
    private static long[] counts(SimulatedFleet fleet) {
        long[] c = new long[3];
        for (SimulatedFleet.Member m : fleet.members()) {
            c[0] += m.statusReads.get();
            c[1] += m.reads.get();
            c[2] += m.writes.get();
        }
        return c;
    }

    private static int ready(KubernetesClient user) {
        return (int) user.resources(HarperCluster.class).inNamespace(NAMESPACE).list().getItems().stream()
                .filter(c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.READY).count();
    }

    private static HarperCluster cluster(String name, String poll) {
        HarperCluster cluster = new HarperCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        HarperClusterSpec spec = new HarperClusterSpec();
        spec.getTls().setVerify(false);
        spec.setPollInterval(poll);
        cluster.setSpec(spec);
        return cluster;
    }

    private static HarperNode node(String name, String cluster, String hostname, String operationsUrl) {
        HarperNode node = new HarperNode();
        node.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        HarperNodeSpec spec = new HarperNodeSpec();
        spec.setClusterRef(cluster);
        spec.setHostname(hostname);
        spec.setOperationsUrl(operationsUrl);
        spec.setVerifyTls(false);
        SecretReference ref = new SecretReference();
        ref.setName("admin");
        spec.setAuthorizationSecret(ref);
        node.setSpec(spec);
        return node;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** The sum of the heap pools' peaks since the last reset (an upper bound of the peak heap in use). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** VmHWM: the process's peak resident set since it started. */
    private static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
