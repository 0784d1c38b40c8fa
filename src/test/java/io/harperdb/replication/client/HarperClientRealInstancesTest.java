package io.harperdb.replication.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.model.Subscription;
import io.harperdb.testing.HarperDb;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The Operations API client against three real HarperDB 4.7.29 instances (A, B, C). */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb(instances = 3, resetBeforeEach = false)
class HarperClientRealInstancesTest {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /** A table of its own per test: dropping databases under live replication crashed HarperDB. */
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final OkHttpClient HTTP = new OkHttpClient();

    private HarperDbCluster real;
    private String table;

    @BeforeEach
    void clean(HarperDbCluster real) {
        this.real = real;
        // A fresh HarperDB per test: reused instances kept state that stopped new links connecting.
        real.reinstall();
        table = "cat" + TABLES.incrementAndGet();
    }

    @Test
    void addNodeLinksTwoMembersBothWaysAndDataFlows() {
        OperationReply reply = client(0).addNode(connection(1));

        assertThat(reply.message()).contains("Successfully added").contains(real.instance(1).hostname());
        await().atMost(SETTLE).until(() -> connected(0, 1) && connected(1, 0));
        shareTable(0, 1);
        insert(0, "rex");
        await().atMost(SETTLE).until(() -> read(1, "rex"));
    }

    @Test
    void addingCToAAloneYieldsAFullMesh() {
        client(0).addNode(connection(1));
        await().atMost(SETTLE).until(() -> connected(0, 1));

        client(0).addNode(connection(2));

        await().atMost(SETTLE).until(() -> connected(1, 2) || connected(2, 1));
        assertThat(client(1).nodeRecords()).extracting(r -> r.name()).contains(hostname(0), hostname(2));
        assertThat(client(2).nodeRecords()).extracting(r -> r.name()).contains(hostname(0), hostname(1));
    }

    @Test
    void configureClusterBootstrapsAThreeMemberMeshInOneCall() {
        OperationReply reply = client(0).configureCluster(List.of(connection(1), connection(2)));

        assertThat(reply.message()).isEqualTo("Configure cluster complete.");
        await().atMost(SETTLE).until(() -> (connected(0, 1) || connected(1, 0)) && (connected(0, 2) || connected(2, 0))
                && (connected(1, 2) || connected(2, 1)));
        shareTable(0, 1, 2);
        insert(2, "from-c");
        await().atMost(SETTLE).until(() -> read(0, "from-c") && read(1, "from-c"));
    }

    @Test
    void removeNodeOfCSentToATakesCOutAndKeepsAAndBConnected() {
        client(0).configureCluster(List.of(connection(1), connection(2)));
        await().atMost(SETTLE).until(() -> client(1).nodeRecords().size() >= 3);
        shareTable(0, 1, 2);

        OperationReply reply = client(0).removeNode(hostname(2));

        assertThat(reply.message()).isEqualTo("Successfully removed '" + hostname(2) + "' from cluster");
        await().atMost(SETTLE).until(() -> client(0).nodeRecords().stream().noneMatch(r -> r.name().equals(hostname(2)))
                && client(1).nodeRecords().stream().noneMatch(r -> r.name().equals(hostname(2))));
        // the receiving node stayed in the cluster (the seed documentation's `name` would have removed it)
        await().atMost(SETTLE).until(() -> connected(0, 1) || connected(1, 0));
        insert(0, "after");
        await().atMost(SETTLE).until(() -> read(1, "after"));
    }

    @Test
    void subscriptionsDecideWhereDataArrivesAndUpdateNodeChangesThem() {
        // The table reaches C over a full link first: tables created on each instance apart did not
        // always replicate their data. Then C is detached (remove_node, and its stale record of A
        // deleted on C itself, as the planner does) and linked again with subscriptions.
        client(0).addNode(connection(2));
        await().atMost(SETTLE).until(() -> connected(2, 0));
        shareTable(0, 2);
        client(0).removeNode(hostname(2));
        await().atMost(SETTLE).until(() -> client(0).nodeRecords().stream().noneMatch(r -> r.name().equals(hostname(2))));
        if (client(2).nodeRecords().stream().anyMatch(r -> r.name().equals(hostname(0)))) {
            client(2).deleteNodeRecords(List.of(hostname(0)));
        }
        // C receives the table from A and publishes nothing to it: A's view is the reverse.
        Subscription cReceivesOnly = Subscription.of("data", table, true, false);
        client(0).addNode(connection(2).withSubscriptions(List.of(cReceivesOnly.reversed())));
        await().atMost(SETTLE).until(() -> connected(2, 0));

        insert(0, "from-a");
        awaitOnCMendingItsConnection(() -> read(2, "from-a"),
                () -> client(0).addNode(connection(2).withSubscriptions(List.of(cReceivesOnly.reversed()))));
        insert(2, "from-c");
        insert(0, "marker");
        await().atMost(SETTLE).until(() -> read(2, "marker"));
        assertThat(read(0, "from-c")).as("C publishes nothing").isFalse();
        ClusterStatus status = client(0).clusterStatus();
        PeerConnection toC = status.peer(hostname(2)).orElseThrow();
        assertThat(toC.replicates()).isNotEqualTo(Boolean.TRUE);
        assertThat(toC.subscriptions()).containsExactly(cReceivesOnly.reversed());

        // update_node rewrites the record on the member it is sent to; whether the other end follows
        // was racy on 4.7.29 (once it did, once C went on publishing nothing for a minute), so both
        // ends are told. The operator sends add_node instead, which updates both ends itself.
        List<Subscription> both = List.of(Subscription.of("data", table, true, true));
        client(0).updateNode(new UpdateNodeRequest(hostname(2), both));
        await().atMost(SETTLE).until(() -> client(0).nodeRecords().stream()
                .anyMatch(r -> r.name().equals(hostname(2)) && both.equals(r.subscriptions())));
        client(2).updateNode(new UpdateNodeRequest(hostname(0), both));
        insert(2, "from-c-later");
        await().atMost(SETTLE).until(() -> read(0, "from-c-later"));
    }

    @Test
    void routesRoundTripInBothFormsAfterARestart() {
        List<Route> routes = List.of(Route.of("10.0.0.1:9933"), Route.of("east.example.com", 9933));

        List<Route> loadedBefore = client(0).getRoutes();
        RouteChange set = client(0).setRoutes(routes);
        assertThat(set.changed()).containsExactlyElementsOf(routes);
        assertThat(client(0).getRoutes()).as("routes load at start").isEqualTo(loadedBefore);
        real.stop(0);
        real.start(0);
        assertThat(client(0).getRoutes()).containsExactlyInAnyOrderElementsOf(routes);

        RouteChange deleted = client(0).deleteRoutes(List.of(Route.of("10.0.0.1:9933")));
        assertThat(deleted.changed()).containsExactly(Route.of("10.0.0.1:9933"));
        real.stop(0);
        real.start(0);
        assertThat(client(0).getRoutes()).containsExactly(Route.of("east.example.com", 9933));
    }

    @Test
    void aWrongPasswordIsUnauthorisedAndTheExceptionHidesIt() {
        HarperDbInstance a = real.instance(0);
        HarperClient wrong = new HarperClient(a.operationsUrl(), "a", a.username(), "Wrong-Pa55-x9", HTTP, HarperClient.Timeouts.DEFAULT);

        HarperOperationException e = catchThrowableOfType(HarperOperationException.class, wrong::clusterStatus);

        assertThat(e.outcome()).isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).contains("cluster_status").contains("a").doesNotContain("Wrong-Pa55-x9");
    }

    @Test
    void removingAnUnknownNodeIsRefusedWithHarperDbsMessage() {
        HarperOperationException e = catchThrowableOfType(HarperOperationException.class,
                () -> client(0).removeNode("nobody.example.com"));

        assertThat(e.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(e.serverMessage()).contains("nobody.example.com").contains("does not exist");
    }

    /**
     * 4.7.29 answers only the latest of overlapping cluster_status calls on one worker thread (compatibility row 30):
     * the worker keeps one pending answer, which each new call replaces. Of calls sent together, some are never
     * answered; a lone call afterwards is answered at once.
     */
    @Test
    void ofClusterStatusCallsSentTogetherSomeAreNeverAnswered() throws Exception {
        HarperDbInstance a = real.instance(0);
        int answered = 0;
        int unanswered = 0;
        for (int attempt = 0; attempt < 5 && unanswered == 0; attempt++) {
            Callable<Boolean> call = () -> answersWithin(a, Duration.ofSeconds(2));
            for (boolean ok : together(List.of(call, call, call, call))) {
                if (ok) answered++; else unanswered++;
            }
        }
        assertThat(unanswered).as("calls left unanswered within 2 s (%d answered)", answered).isPositive();
        assertThat(answered).as("calls answered").isPositive();
        assertThat(answersWithin(a, Duration.ofSeconds(2))).as("a lone call afterwards").isTrue();
    }

    /**
     * Two callers of one member (the operator and the member's sidecar) sending cluster_status at the same moment are
     * both answered: the one HarperDB leaves unanswered sends it again after {@link HarperClient#CLUSTER_STATUS_FIRST_TRY}
     * instead of waiting out its 30 s read timeout.
     */
    @Test
    void twoCallersWhoseClusterStatusOverlapAreBothAnswered() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        OkHttpClient counting = HTTP.newBuilder().addInterceptor(chain -> {
            sent.incrementAndGet();
            return chain.proceed(chain.request());
        }).build();
        HarperDbInstance i = real.instance(0);
        HarperClient operator = new HarperClient(i.operationsUrl(), i.hostname(), i.username(), i.password(), counting, HarperClient.Timeouts.DEFAULT);
        HarperClient sidecar = new HarperClient(i.operationsUrl(), i.hostname(), i.username(), i.password(), counting, HarperClient.Timeouts.DEFAULT);
        int pairs = 0;
        while (pairs < 10 && sent.get() == 2 * pairs) {
            long started = System.nanoTime();
            List<ClusterStatus> statuses = together(List.<Callable<ClusterStatus>>of(operator::clusterStatus, sidecar::clusterStatus));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(statuses).allSatisfy(status -> assertThat(status.nodeName()).isEqualTo(i.hostname()));
            assertThat(took).as("both answered").isLessThan(HarperClient.CLUSTER_STATUS_FIRST_TRY.plusSeconds(5));
            pairs++;
        }
        assertThat(sent.get()).as("in %d pairs sent together, one call was left unanswered and sent again", pairs).isGreaterThan(2 * pairs);
    }

    private static boolean answersWithin(HarperDbInstance instance, Duration timeout) {
        try {
            return instance.clusterStatus(timeout) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs each call on a thread of its own, the threads released at the same moment; their results, in order. */
    private static <T> List<T> together(List<Callable<T>> calls) throws Exception {
        CyclicBarrier start = new CyclicBarrier(calls.size());
        ExecutorService threads = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<T>> results = new ArrayList<>();
            for (Callable<T> call : calls) {
                results.add(threads.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            List<T> values = new ArrayList<>();
            for (Future<T> result : results) {
                values.add(result.get(60, TimeUnit.SECONDS));
            }
            return values;
        } finally {
            threads.shutdownNow();
        }
    }

    private HarperClient client(int index) {
        HarperDbInstance i = real.instance(index);
        return new HarperClient(i.operationsUrl(), i.hostname(), i.username(), i.password(), HTTP, HarperClient.Timeouts.DEFAULT);
    }

    private AddNodeRequest connection(int index) {
        HarperDbInstance i = real.instance(index);
        return AddNodeRequest.hostname(i.hostname()).withVerifyTls(false)
                .withAuthorization(NodeAuthorization.basic(i.username(), i.password()));
    }

    private String hostname(int index) {
        return real.instance(index).hostname();
    }

    /** {@code from} reports its link to {@code to} with every database socket connected. */
    private boolean connected(int from, int to) {
        return client(from).clusterStatus().peer(hostname(to)).map(PeerConnection::isConnected).orElse(false);
    }

    /** Creates the test's table on the first instance and waits until the others have it (it replicates). */
    private void shareTable(int first, int... others) {
        real.instance(first).post(Map.of("operation", "create_table", "database", "data", "table", table, "primary_key", "id"));
        await().atMost(SETTLE).until(() -> java.util.Arrays.stream(others).allMatch(i -> real.instance(i)
                .call(Map.of("operation", "describe_table", "database", "data", "table", table)).ok()));
    }

    /**
     * Waits for something to reach C. On 4.7.29 C's own connection to A, re-added after remove_node, can show
     * connected yet carry nothing, for good (compatibility row 29). What the operator's healing would send follows,
     * one step each 30 s while nothing arrives: a restart of C's workers (restart_service http_workers), then
     * {@code addAgain} (the add_node that made the link, an upsert) and a second restart; the data must then arrive.
     */
    private void awaitOnCMendingItsConnection(Callable<Boolean> arrived, Runnable addAgain) {
        if (arrivesWithin(Duration.ofSeconds(30), arrived)) return;
        client(2).restartHttpWorkers();
        if (arrivesWithin(Duration.ofSeconds(30), arrived)) return;
        addAgain.run();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> connected(2, 0));
        client(2).restartHttpWorkers();
        await().atMost(SETTLE).ignoreExceptions().until(arrived);
    }

    private static boolean arrivesWithin(Duration wait, Callable<Boolean> arrived) {
        try {
            await().atMost(wait).ignoreExceptions().until(arrived);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private void insert(int index, String id) {
        real.instance(index).post(Map.of("operation", "insert", "database", "data", "table", table,
                "records", List.of(Map.of("id", id))));
    }

    private boolean read(int index, String id) {
        HarperDbInstance.Answer found = real.instance(index).call(Map.of("operation", "search_by_id", "database", "data",
                "table", table, "ids", List.of(id), "get_attributes", List.of("id")));
        return found.ok() && found.body().isArray() && found.body().size() == 1;
    }
}
