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
 * cluster_status reads per member per poll, Kubernetes writes, and the operator's CPU per member per poll; then the
 * reconcile time percentiles from the operator's own metrics (JOSDK's reconcile timer histogram, {@link ReconcileTimes})
 * from start to Ready and in the idle window, the CPU by owner ({@link ThreadCpu}: the operator's threads apart from the
 * mock API server's and the fleet's), the live heap per cluster and the open files. Everything runs in one JVM (operator,
 * mock API server, fleet), so heap and RSS are upper bounds for the operator alone; CPU is told apart by thread. With
 * {@code -Dfleet.operatorJvm="-Xmx256m"} the operator runs instead as its container does, in a JVM of its own with those
 * options ({@link OperatorInItsOwnJvm}; needs {@code mvn package}): its CPU, RSS and live heap are then its own.
 *
 * <p>Arguments: cluster counts (default 10 100). System properties: {@code fleet.members} (3), {@code fleet.poll}
 * (spec.pollInterval, 3s), {@code fleet.idlePolls} (polls in the idle window, 20: twice the slow cadence), {@code fleet.firstAddress}
 * (127.55.0.1: the members listen on consecutive loopback addresses from there, port 9925), {@code fleet.operatorJvm} (unset: the
 * operator in this JVM).
 */
public final class FleetBenchmark {
    private static final String NAMESPACE = "fleet";
    /** Held, so that its level stays: the mock API server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    /** The first size of this run: its heap figure includes the one-time costs of the operator's first use. */
    private static boolean firstSize = true;

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
        if (System.getProperty("fleet.operatorJvm") != null) {
            System.out.printf("the operator in its own JVM (JDK_JAVA_OPTIONS %s): its CPU is its whole process's, GC and JIT included;"
                    + " GC and JIT below are this JVM's (mock API server and fleet)%n", System.getProperty("fleet.operatorJvm"));
        }
        System.out.printf("%8s  %8s  %9s  %9s  %9s  %12s  %12s  %12s  %10s  %12s%n", "clusters", "members", "ready s",
                "peak heap", "peak RSS", "reads/m/p", "status/m/p", "writes/m/p", "k8s writes", "op cpu ms/m/p");
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
        checkOpenFileLimit(names.size());
        int filesBeforeFleet = openFiles();
        Duration pollInterval = io.harperdb.replication.Durations.parse(poll);
        try (SimulatedFleet fleet = new SimulatedFleet(names, firstAddress);
             MockKubernetes kubernetes = new MockKubernetes()) {
            KubernetesClient user = kubernetes.newUserClient();
            user.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
            user.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                    .withMetadata(new ObjectMetaBuilder().withName("admin").withNamespace(NAMESPACE).build())
                    .withStringData(Map.of("username", "admin", "password", "pw")).build()).create();
            long baselineHeap = liveHeap();
            int baselineFds = openFiles();
            resetPeaks();
            String operatorJvm = System.getProperty("fleet.operatorJvm");
            try (RunningOperator inProcess = operatorJvm == null ? new RunningOperator(kubernetes) : null;
                 OperatorInItsOwnJvm ownJvm = operatorJvm == null ? null : OperatorInItsOwnJvm.start(kubernetes, NAMESPACE, operatorJvm)) {
                java.util.function.Supplier<ReconcileTimes> reconcileTimes = inProcess != null
                        ? () -> ReconcileTimes.snapshot(inProcess.registry()) : ownJvm::reconcileTimes;
                java.util.function.Supplier<Cpu> cpu = () -> new Cpu(ThreadCpu.snapshot(), ownJvm == null ? 0 : ownJvm.cpuNanos());
                ReconcileTimes atStart = reconcileTimes.get();
                Cpu cpuAtStart = cpu.get();
                long start = System.nanoTime();
                for (int c = 0; c < clusters; c++) {
                    String cluster = String.format("c%04d", c);
                    for (int m = 0; m < perCluster; m++) {
                        SimulatedFleet.Member member = fleet.member(String.format("%s-m%d.fleet", cluster, m));
                        user.resource(node(NAMESPACE, cluster + "-m" + m, cluster, member.name, member.operationsUrl, "admin")).create();
                    }
                    user.resource(cluster(NAMESPACE, cluster, poll)).create();
                }
                while (ready(user) < clusters) {
                    if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
                        throw new IllegalStateException(ready(user) + " of " + clusters + " clusters Ready after 10 minutes"
                                + (ownJvm == null ? "" : "; the operator's log:\n" + ownJvm.logTail(20)));
                    }
                    kubernetes.forgetRequests();    // the mock server keeps every request otherwise
                    Thread.sleep(200);
                }
                double readySeconds = (System.nanoTime() - start) / 1e9;
                ReconcileTimes atReady = reconcileTimes.get();
                Map<String, Long> startupCpu = cpu.get().since(cpuAtStart);
                long peakHeap = peakHeap();
                // the round after Ready is the first one that reads as settled; then the idle window
                Thread.sleep(2 * pollInterval.toMillis());
                kubernetes.forgetRequests();
                long[] before = counts(fleet);
                ReconcileTimes idleStart = reconcileTimes.get();
                Cpu cpuBefore = cpu.get();
                Thread.sleep(idlePolls * pollInterval.toMillis());
                long[] after = counts(fleet);
                Map<String, Long> idleCpu = cpu.get().since(cpuBefore);
                ReconcileTimes idleEnd = reconcileTimes.get();
                int k8sWrites = kubernetes.writes().size();
                int members = names.size();
                double memberPolls = members * (double) idlePolls;
                long idleHeap = ownJvm == null ? liveHeap() : ownJvm.liveHeap();
                System.out.printf("%8d  %8d  %9.1f  %9s  %6d MiB  %12.2f  %12.2f  %12.2f  %10d  %12.2f%n", clusters, members, readySeconds,
                        ownJvm == null ? (Math.max(peakHeap, peakHeap()) >> 20) + " MiB" : "-",
                        (ownJvm == null ? procStatusKib("VmHWM:") : ownJvm.procStatusKib("VmHWM:")) >> 10,
                        (after[1] - before[1]) / (double) (after[0] - before[0]),
                        (after[0] - before[0]) / memberPolls,
                        (after[2] - before[2]) / (double) (after[0] - before[0]),
                        k8sWrites, idleCpu.get(ThreadCpu.OPERATOR) / 1e6 / memberPolls);
                System.out.printf("          reconcile, start to Ready: %s%n", atReady.since(atStart));
                System.out.printf("          reconcile, idle window:    %s%n", idleEnd.since(idleStart));
                System.out.printf("          CPU s, start to Ready: %s%n", cpuSeconds(startupCpu, 1));
                System.out.printf("          CPU ms per member per poll at idle: %s%n", cpuSeconds(idleCpu, memberPolls / 1000));
                if (ownJvm != null) {
                    // the operator's heap alone: its JVM held no heap before the resources
                    System.out.printf("          the operator in its own JVM (%s): live heap after GC at idle %d MiB (%.0f KiB per cluster),"
                                    + " RSS now %d MiB, peak %d MiB%n", operatorJvm, idleHeap >> 20, idleHeap / 1024.0 / clusters,
                            ownJvm.procStatusKib("VmRSS:") >> 10, ownJvm.procStatusKib("VmHWM:") >> 10);
                } else {
                    long added = idleHeap - baselineHeap;
                    // the first size of a run also pays what is made once on first use (caches of Jackson, JOSDK, OkHttp): read the
                    // heap per cluster from a later size
                    System.out.printf("          live heap after GC at idle %d MiB, %d MiB more than before the operator and the resources"
                                    + " (%.0f KiB per cluster%s); RSS now %d MiB; open files %d (the fleet's %.1f per member)%n",
                            idleHeap >> 20, added >> 20, added / 1024.0 / clusters, firstSize ? ", with one-time costs" : "",
                            procStatusKib("VmRSS:") >> 10, openFiles(), (baselineFds - filesBeforeFleet) / (double) members);
                }
                firstSize = false;
                if (ready(user) < clusters) {
                    System.out.println("  note: " + (clusters - ready(user)) + " clusters left Ready during the idle window");
                }
            }
        }
    }

    /**
     * CPU by owner: this JVM's threads ({@link ThreadCpu}) and, when the operator runs in its own JVM, that whole process
     * (then the operator's share; this JVM's threads that {@link ThreadCpu} would give the operator are the benchmark's
     * own Kubernetes client).
     */
    private record Cpu(ThreadCpu threads, long operatorProcessNanos) {
        Map<String, Long> since(Cpu earlier) {
            Map<String, Long> spent = threads.since(earlier.threads);
            if (operatorProcessNanos > 0) {
                spent.merge(ThreadCpu.BENCHMARK, spent.getOrDefault(ThreadCpu.OPERATOR, 0L), Long::sum);
                long operator = operatorProcessNanos - earlier.operatorProcessNanos;
                spent.put(ThreadCpu.OPERATOR, operator);
                spent.merge("process", operator, Long::sum);
            }
            return spent;
        }
    }

    /** "operator 1.23, mock API server 0.45, ..." with each owner's nanoseconds divided by {@code per} and 1e9. */
    private static String cpuSeconds(Map<String, Long> nanos, double per) {
        StringBuilder text = new StringBuilder();
        for (String owner : List.of(ThreadCpu.OPERATOR, ThreadCpu.MOCK_API, ThreadCpu.FLEET, ThreadCpu.JVM, ThreadCpu.BENCHMARK,
                ThreadCpu.GC_AND_JIT, "process")) {
            long spent = nanos.getOrDefault(owner, 0L);
            text.append(text.length() == 0 ? "" : ", ").append(owner).append(' ').append(String.format("%.3f", spent / 1e9 / per));
        }
        return text.toString();
    }

    /**
     * Each member's HttpServer holds a listening socket and a selector (about 3 descriptors): fails at once, with the
     * remedy, when the open-file limit cannot hold the fleet, rather than with an IOException halfway through.
     */
    private static void checkOpenFileLimit(int members) {
        long limit = openFileLimit();
        long needed = 4L * members + 1000;
        if (limit > 0 && limit < needed) {
            throw new IllegalStateException("the open-file limit is " + limit + "; " + members + " simulated members need about "
                    + needed + " (ulimit -n " + needed + ")");
        }
    }

    private static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private static int openFiles() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** Heap in use after a full collection (System.gc() twice: the second frees what finalizers released). */
    private static long liveHeap() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
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

    /** A HarperCluster of HarperNodes, TLS not verified; {@code poll} null leaves spec.pollInterval at its default. */
    static HarperCluster cluster(String namespace, String name, String poll) {
        HarperCluster cluster = new HarperCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        HarperClusterSpec spec = new HarperClusterSpec();
        spec.getTls().setVerify(false);
        spec.setPollInterval(poll);
        cluster.setSpec(spec);
        return cluster;
    }

    static HarperNode node(String namespace, String name, String cluster, String hostname, String operationsUrl, String secret) {
        HarperNode node = new HarperNode();
        node.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        HarperNodeSpec spec = new HarperNodeSpec();
        spec.setClusterRef(cluster);
        spec.setHostname(hostname);
        spec.setOperationsUrl(operationsUrl);
        spec.setVerifyTls(false);
        SecretReference ref = new SecretReference();
        ref.setName(secret);
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

    /** A line of /proc/self/status in KiB: VmHWM (the peak resident set since the process started) or VmRSS (now). */
    private static long procStatusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
