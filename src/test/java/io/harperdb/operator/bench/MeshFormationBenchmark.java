package io.harperdb.operator.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.reconciler.HarperClientFactory;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.HarperClient;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbFixture;
import io.harperdb.testing.HarperDbInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;

/**
 * Real HarperDB (not a test: {@code make bench}): how long three fresh instances take to form a full mesh through the
 * operator, against the raw sequence of calls that forms it, on the same instances in one run.
 *
 * <ul>
 *   <li><b>raw</b>: the call the operator's first round sends (configure_cluster on the first instance naming the other
 *       two, as {@code ClusterMember.connection()} builds each entry), sent directly with {@link HarperClient}; then
 *       cluster_status of every instance, every {@link #POLL}, until every pair is linked ({@link #meshFormed}).
 *   <li><b>operator</b>: the operator on the mock API ({@link RunningOperator}, as ExternalMembersEndToEndTest runs it),
 *       a HarperCluster and its three HarperNodes created at once (what {@code kubectl apply} of one file does; the
 *       admin Secrets exist before), until the cluster's status says Ready 3/3 (read every {@link #READY_POLL}). The
 *       instances are watched as in the raw trial meanwhile (on a thread of their own), so it also prints when the mesh
 *       was formed in HarperDB, and it prints when each of the operator's HarperDB calls went out and how long it took.
 * </ul>
 * Every trial starts from freshly reinstalled instances; raw and operator trials alternate. Prints each trial, the
 * medians and their ratio. System properties: {@code mesh.trials} (5); the fixture's ({@code harperdb.install.dir},
 * {@code harperdb.test.firstAddress}, {@code harperdb.test.workDir}).
 */
public final class MeshFormationBenchmark {
    /** How often the instances' cluster_status is read while waiting (3 reads each time, light for HarperDB). */
    static final Duration POLL = Duration.ofMillis(100);
    /** How often the HarperCluster's status is read (from the mock API server: cheap). */
    static final Duration READY_POLL = Duration.ofMillis(20);
    private static final Duration LIMIT = Duration.ofMinutes(2);
    /**
     * For the cluster_status reads that watch the mesh form. Short: a read left unanswered (4.7.29 answers only the
     * latest of overlapping cluster_status calls, compatibility row 30; with {@link OneClusterStatusAtATime} the watch's
     * and the operator's no longer overlap) is given up and the instances are read again, so the watch is late by at
     * most this and a POLL. Each trial prints how many were given up.
     */
    private static final HarperClient.Timeouts WATCH_TIMEOUTS = new HarperClient.Timeouts(Duration.ofMillis(500), Duration.ofMillis(500));
    /** The watch's reads given up in the current trial (printed beside it: how far its "mesh formed" can be late). */
    private static final java.util.concurrent.atomic.AtomicInteger UNANSWERED = new java.util.concurrent.atomic.AtomicInteger();
    private static final String NAMESPACE = "mesh";
    /** Held, so that its level stays: the mock API server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private MeshFormationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        int trials = Integer.getInteger("mesh.trials", 5);
        List<Double> raw = new ArrayList<>();
        List<Double> operator = new ArrayList<>();
        List<Double> operatorMesh = new ArrayList<>();
        List<Double> firstWrite = new ArrayList<>();
        try (HarperDbFixture fixture = new HarperDbFixture(false)) {
            HarperDbCluster real = fixture.cluster(3);
            // untimed: the first round in a JVM loads and compiles the operator's code (seen: its first call 2 s after the apply)
            double[] warmUp = throughOperator(real);
            System.out.printf("mesh warm-up (not counted): operator, Ready 3/3 after %.2f s%n", warmUp[1]);
            for (int trial = 1; trial <= trials; trial++) {
                real.reinstall();
                UNANSWERED.set(0);
                raw.add(raw(real));
                System.out.printf("mesh trial %d: raw calls, mesh formed after %.2f s%s%n", trial, raw.get(raw.size() - 1), unanswered());
                real.reinstall();
                UNANSWERED.set(0);
                double[] viaOperator = throughOperator(real);
                operatorMesh.add(viaOperator[0]);
                operator.add(viaOperator[1]);
                firstWrite.add(viaOperator[2]);
                System.out.printf("mesh trial %d: operator, first write to HarperDB sent after %.2f s, mesh formed in HarperDB after %.2f s,"
                        + " status Ready 3/3 after %.2f s%s%n", trial, viaOperator[2], viaOperator[0], viaOperator[1], unanswered());
            }
        }
        double rawMedian = median(raw);
        double operatorMedian = median(operator);
        List<Double> lateBy = new ArrayList<>();
        for (int i = 0; i < operator.size(); i++) {
            lateBy.add(operator.get(i) - operatorMesh.get(i));
        }
        System.out.printf("mesh of 3 real instances (%d trials, medians): raw calls %.2f s; operator %.2f s to Ready 3/3"
                        + " (first write sent at %.2f s, mesh formed in HarperDB at %.2f s, Ready %.2f s after the mesh formed);"
                        + " ratio %.2fx (target <= 1.1x)%n",
                trials, rawMedian, operatorMedian, median(firstWrite), median(operatorMesh), median(lateBy), operatorMedian / rawMedian);
        System.exit(0);     // the operator's and the mock server's threads
    }

    /** Seconds from sending configure_cluster to every instance showing both peers connected. */
    static double raw(HarperDbCluster real) throws InterruptedException {
        List<HarperClient> clients = clients(real, new OkHttpClient(), WATCH_TIMEOUTS);
        List<AddNodeRequest> others = new ArrayList<>();
        for (int i = 1; i < real.size(); i++) {
            others.add(connection(real.instance(i)));
        }
        long start = System.nanoTime();
        // the operator's timeouts for the write (it took up to 5 s here), the watch's for the reads
        clients(real, new OkHttpClient(), RunningOperator.TEST_TIMEOUTS).get(0).configureCluster(others);
        System.out.printf("  raw: configure_cluster answered after %.2f s%n", (System.nanoTime() - start) / 1e9);
        while (!meshFormed(real, clients)) {
            checkLimit(start, "raw calls: the mesh");
            Thread.sleep(POLL.toMillis());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Seconds from creating the resources to the mesh formed in HarperDB, to the cluster's status Ready 3/3, and to the
     * operator's first write to HarperDB.
     */
    static double[] throughOperator(HarperDbCluster real) throws InterruptedException {
        // the watch and the operator share one OneClusterStatusAtATime, so that their cluster_status calls never overlap
        OneClusterStatusAtATime oneAtATime = new OneClusterStatusAtATime();
        List<HarperClient> watchers = clients(real, new OkHttpClient.Builder().addInterceptor(oneAtATime).build(), WATCH_TIMEOUTS);
        HarperOperationLog calls = new HarperOperationLog();
        Timeline timeline = new Timeline();
        OkHttpClient recorded = calls.client().newBuilder().addInterceptor(timeline).addInterceptor(oneAtATime).build();
        try (MockKubernetes kubernetes = new MockKubernetes();
             RunningOperator operator = new RunningOperator(kubernetes, new HarperClientFactory(RunningOperator.TEST_TIMEOUTS, recorded))) {
            KubernetesClient user = kubernetes.newUserClient();
            user.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
            for (int i = 0; i < real.size(); i++) {
                HarperDbInstance instance = real.instance(i);
                user.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                        .withMetadata(new ObjectMetaBuilder().withName("member-" + i + "-admin").withNamespace(NAMESPACE).build())
                        .withStringData(Map.of("username", instance.username(), "password", instance.password())).build()).create();
            }
            // the spec's default pollInterval: while converging the operator looks again on its own, shorter, cadence
            HarperCluster cluster = FleetBenchmark.cluster(NAMESPACE, "demo", null);
            long start = System.nanoTime();
            timeline.start = start;
            user.resource(cluster).create();
            for (int i = 0; i < real.size(); i++) {
                HarperDbInstance instance = real.instance(i);
                user.resource(FleetBenchmark.node(NAMESPACE, "member-" + i, "demo", instance.hostname(), instance.operationsUrl(),
                        "member-" + i + "-admin")).create();
            }
            // HarperDB is watched on a thread of its own, so that a slow cluster_status does not delay seeing Ready
            java.util.concurrent.CompletableFuture<Double> meshAt = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    while (!meshFormed(real, watchers)) {
                        if (System.nanoTime() - start > LIMIT.toNanos()) {
                            return Double.NaN;     // only informative: Ready 3/3 decides the trial
                        }
                        Thread.sleep(POLL.toMillis());
                    }
                    return (System.nanoTime() - start) / 1e9;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            double readyAt;
            while (true) {
                checkLimit(start, "operator: Ready 3/3");
                HarperCluster seen = user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get();
                if (seen.getStatus() != null && seen.getStatus().getPhase() == Phase.READY
                        && (real.size() + "/" + real.size()).equals(seen.getStatus().getReadyMembers())) {
                    readyAt = (System.nanoTime() - start) / 1e9;
                    break;
                }
                Thread.sleep(READY_POLL.toMillis());
            }
            double meshFormedAt = meshAt.join();
            System.out.println("  the operator's writes to HarperDB: " + calls.writes().stream()
                    .map(c -> c.operation() + " on " + c.host()).collect(Collectors.joining(", ")));
            System.out.println("  the operator's calls (s from the apply: operation, host, duration): " + String.join("; ", timeline.calls));
            return new double[] {meshFormedAt, readyAt, timeline.firstWrite};
        }
    }

    /** When each of the operator's HarperDB calls was sent, and how long it took (seconds from the apply). */
    private static final class Timeline implements okhttp3.Interceptor {
        volatile long start = Long.MAX_VALUE;
        final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Seconds from the apply to the first write sent (NaN: none). */
        volatile double firstWrite = Double.NaN;

        @Override
        public okhttp3.Response intercept(Chain chain) throws java.io.IOException {
            long sent = System.nanoTime();
            okhttp3.Response response = chain.proceed(chain.request());
            if (sent >= start) {
                String operation = operationOf(chain.request());
                if (Double.isNaN(firstWrite) && !HarperOperationLog.READS.contains(operation)) {
                    firstWrite = (sent - start) / 1e9;
                }
                calls.add(String.format("%.2f %s %s %.2f", (sent - start) / 1e9, operation.length() > 40 ? "?" : operation,
                        chain.request().url().host(), (System.nanoTime() - sent) / 1e9));
            }
            return response;
        }
    }

    /**
     * Lets one cluster_status at a time reach each instance, of the operator's calls and the watch's: 4.7.29 leaves the
     * earlier of two overlapping ones unanswered (compatibility row 30), and watching must not cost the operator a call
     * sent again that it would not have needed unwatched.
     */
    private static final class OneClusterStatusAtATime implements okhttp3.Interceptor {
        private final Map<String, Object> byHost = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public okhttp3.Response intercept(Chain chain) throws java.io.IOException {
            if (!"cluster_status".equals(operationOf(chain.request()))) {
                return chain.proceed(chain.request());
            }
            synchronized (byHost.computeIfAbsent(chain.request().url().host(), host -> new Object())) {
                return chain.proceed(chain.request());
            }
        }
    }

    /** The operation a request sends (its body's "operation"). */
    private static String operationOf(okhttp3.Request request) throws java.io.IOException {
        okio.Buffer body = new okio.Buffer();
        if (request.body() != null) {
            request.body().writeTo(body);
        }
        return body.readUtf8().replaceAll(".*\"operation\"\\s*:\\s*\"([a-z_]+)\".*", "$1");
    }

    /**
     * Every pair of instances is linked: both ends list the other with all their database sockets connected
     * (PeerConnection.isConnected), as the operator's Ready judges: each end's sockets are its own connection, over
     * which it receives the other's writes. HarperDB may show one end's sockets only, for good (seen here before the
     * operator judged both ends: a mesh Ready 3/3 whose both ends never showed connected within two minutes; the
     * operator now restarts that member's workers, compatibility row 29; the raw sequence has no such remedy).
     */
    static boolean meshFormed(HarperDbCluster real, List<HarperClient> clients) {
        List<ClusterStatus> statuses = new ArrayList<>();
        for (HarperClient client : clients) {
            try {
                statuses.add(client.clusterStatus());
            } catch (RuntimeException e) {
                UNANSWERED.incrementAndGet();
                return false;
            }
        }
        for (int i = 0; i < real.size(); i++) {
            for (int j = i + 1; j < real.size(); j++) {
                if (!lists(statuses.get(i), real.instance(j)) || !lists(statuses.get(j), real.instance(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean lists(ClusterStatus status, HarperDbInstance peer) {
        return status.peer(peer.hostname()).map(PeerConnection::isConnected).orElse(false);
    }

    /** The add_node entry the operator builds for an instance declared by hostname (ClusterMember.connection()). */
    private static AddNodeRequest connection(HarperDbInstance instance) {
        return AddNodeRequest.hostname(instance.hostname()).withVerifyTls(false)
                .withAuthorization(NodeAuthorization.basic(instance.username(), instance.password()));
    }

    private static List<HarperClient> clients(HarperDbCluster real, OkHttpClient base, HarperClient.Timeouts timeouts) {
        List<HarperClient> clients = new ArrayList<>();
        for (HarperDbInstance instance : real.instances()) {
            clients.add(new HarperClient(instance.operationsUrl(), instance.hostname(), instance.username(), instance.password(),
                    base, timeouts));
        }
        return clients;
    }

    private static void checkLimit(long start, String what) {
        if (System.nanoTime() - start > LIMIT.toNanos()) {
            throw new IllegalStateException(what + " not reached after " + LIMIT);
        }
    }

    /** How many of the trial's watch reads were given up, when any were. */
    private static String unanswered() {
        int n = UNANSWERED.get();
        return n == 0 ? "" : String.format(" (%d watch read%s unanswered within %d ms)", n, n == 1 ? "" : "s",
                WATCH_TIMEOUTS.read().toMillis());
    }

    /** The median of the values that are numbers (a watch that saw nothing is NaN). */
    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
