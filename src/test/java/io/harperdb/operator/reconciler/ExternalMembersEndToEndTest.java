package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.harperdb.operator.api.ConnectionStatus;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.api.Route;
import io.harperdb.operator.api.Subscription;
import io.harperdb.operator.testing.ClusterAwait;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.testing.HarperDb;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against the mock API server and three real HarperDB 4.7.29 instances, each declared
 * by a HarperNode (members the operator does not run).
 */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb(instances = 3, resetBeforeEach = false)
class ExternalMembersEndToEndTest {
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    /** A table of its own per test: dropping databases under live replication crashed HarperDB (SIGSEGV in lmdb). */
    private static final AtomicInteger TABLES = new AtomicInteger();

    private String table;
    private MockKubernetes kubernetes;
    private RunningOperator operator;
    private HarperOperationLog harperCalls;
    private HarperDbCluster real;

    @BeforeEach
    void start(HarperDbCluster real) {
        this.real = real;
        // A fresh HarperDB per test: reused instances kept state that stopped new links connecting.
        real.reinstall();
        table = "dog" + TABLES.incrementAndGet();
        kubernetes = new MockKubernetes();
        harperCalls = new HarperOperationLog();
        operator = new RunningOperator(kubernetes, new HarperClientFactory(RunningOperator.TEST_TIMEOUTS, harperCalls.client()));
    }

    @AfterEach
    void stop() {
        operator.close();
        kubernetes.close();
    }

    @Test
    void threeNodesFormAFullMeshAndTheStatusMirrorsIt() {
        applyClusterOfThree();

        HarperCluster ready = awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        assertThat(ready.getStatus().getMembers()).extracting(MemberStatus::getName)
                .containsExactlyInAnyOrder(hostname(0), hostname(1), hostname(2));
        for (MemberStatus member : ready.getStatus().getMembers()) {
            assertThat(member.getReachable()).isTrue();
            assertThat(member.getConnections()).extracting(ConnectionStatus::getName)
                    .containsExactlyInAnyOrderElementsOf(ready.getStatus().getMembers().stream()
                            .map(MemberStatus::getName).filter(n -> !n.equals(member.getName())).toList());
        }
        // Ready judges a link from either end (HarperDB may show one end's sockets first): every pair is connected.
        for (MemberStatus a : ready.getStatus().getMembers()) {
            for (ConnectionStatus link : a.getConnections()) {
                MemberStatus b = ready.getStatus().getMembers().stream().filter(m -> m.getName().equals(link.getName())).findFirst().orElseThrow();
                boolean back = b.getConnections().stream().anyMatch(x -> x.getName().equals(a.getName()) && Boolean.TRUE.equals(x.getConnected()));
                assertThat(Boolean.TRUE.equals(link.getConnected()) || back).as(a.getName() + " <-> " + b.getName()).isTrue();
            }
        }
        assertThat(condition(ready, Conditions.READY).getStatus()).isEqualTo("True");
        for (int i = 0; i < 3; i++) {
            int index = i;
            HarperNode node = await().atMost(CONVERGE).until(() -> node("member-" + index),
                    n -> n.getStatus() != null && n.getStatus().getPhase() == Phase.READY);
            assertThat(node.getStatus().getConnections()).hasSize(2);
        }
        // One configure_cluster (or add_node per newcomer) was enough: HarperDB gossips membership.
        assertThat(harperCalls.writes()).extracting(HarperOperationLog.Call::operation)
                .contains("configure_cluster").isSubsetOf("configure_cluster", "add_node");

        shareTable();
        insert(0, "rex");
        await().atMost(CONVERGE).until(() -> read(1, "rex") && read(2, "rex"));
        assertThat(kubernetes.client().v1().events().inNamespace(NAMESPACE).list().getItems())
                .extracting(Event::getReason).contains("OperationSucceeded");
    }

    @Test
    void membersDeclaredByUrlOnlyAreNamedByTheirHostAndFormAMeshThroughThePlanner() {
        kubernetes.client().resource(Resources.cluster("demo")).create();
        for (int i = 0; i < 3; i++) {
            HarperDbInstance instance = real.instance(i);
            kubernetes.client().resource(Resources.secret("member-" + i + "-admin", instance.username(), instance.password())).create();
            kubernetes.client().resource(Resources.urlNode("member-" + i, "demo", instance.replicationUrl(), instance.operationsUrl(),
                    "member-" + i + "-admin")).create();
        }

        HarperCluster ready = awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        assertThat(condition(ready, Conditions.RECONCILED).getReason()).isNotEqualTo("InvalidMembers");
        assertThat(ready.getStatus().getMembers()).extracting(MemberStatus::getName)
                .containsExactlyInAnyOrder(hostname(0), hostname(1), hostname(2));
        // What 4.7.29 calls a node added by url only: the url's host, in cluster_status and in system.hdb_nodes.
        assertThat(real.instance(0).connectionNames()).containsExactlyInAnyOrder(hostname(1), hostname(2));
        assertThat(real.instance(1).nodeRecordNames()).contains(hostname(0), hostname(2))
                .doesNotContain(real.instance(0).replicationUrl(), real.instance(2).replicationUrl());
        // The planner's configure_cluster (and an add_node for a member declared after the first round),
        // naming the others by url, made the mesh: each member joined once, so no add_node of the link healer.
        List<HarperOperationLog.Call> writes = harperCalls.writes();
        assertThat(writes).extracting(HarperOperationLog.Call::operation).contains("configure_cluster")
                .isSubsetOf("configure_cluster", "add_node");
        List<String> joined = new java.util.ArrayList<>();
        for (HarperOperationLog.Call call : writes) {
            List<JsonNode> connections = new java.util.ArrayList<>();
            if (call.operation().equals("configure_cluster")) {
                call.body().path("connections").forEach(connections::add);
            } else {
                connections.add(call.body());
            }
            for (JsonNode connection : connections) {
                assertThat(connection.has("hostname")).isFalse();
                assertThat(connection.path("url").asText()).startsWith("wss://");
                joined.add(connection.path("url").asText());
            }
        }
        assertThat(joined).doesNotHaveDuplicates().hasSize(2);
        for (int i = 0; i < 3; i++) {
            int index = i;
            await().atMost(CONVERGE).until(() -> node("member-" + index),
                    n -> n.getStatus() != null && n.getStatus().getPhase() == Phase.READY);
        }
        shareTable();
        insert(2, "by-url");
        await().atMost(CONVERGE).until(() -> read(0, "by-url") && read(1, "by-url"));
    }

    @Test
    void aMembersOwnSubscriptionsDecideWhereDataFlows() {
        applyClusterOfThree();
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));

        shareTable();
        // member-2 receives the table from its peers and publishes nothing.
        HarperNode partial = node("member-2");
        Subscription receiveOnly = new Subscription();
        receiveOnly.setDatabase("data");
        receiveOnly.setTable(table);
        receiveOnly.setSubscribe(true);
        receiveOnly.setPublish(false);
        harperCalls.clear();
        kubernetes.client().resources(HarperNode.class).inNamespace(NAMESPACE).withName("member-2")
                .edit(n -> {
                    n.getSpec().setSubscriptions(List.of(receiveOnly));
                    return n;
                });

        // each look bounded: one that overlaps the operator's is never answered (row 30), so it is given up and asked again
        await().atMost(CONVERGE).ignoreExceptions().until(() -> {
            JsonNode status = real.instance(2).clusterStatus(Duration.ofSeconds(5));
            for (JsonNode connection : status.path("connections")) {
                JsonNode subscriptions = connection.path("subscriptions");
                if (!subscriptions.isArray() || subscriptions.isEmpty()) {
                    return false;
                }
            }
            return status.path("connections").size() == 2;
        });
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        // The add_node calls about the partial member (one a round) kept the converging cadence's spacing, though
        // rounds look every 0.5 s while links form: 4.7.29 lost its links when two came 0.43 s apart (row 21).
        List<Instant> aboutPartial = harperCalls.writes().stream()
                .filter(c -> c.operation().equals("add_node") || c.operation().equals("update_node"))
                .filter(c -> c.host().equals(hostname(2)) || c.body().path("hostname").asText().equals(hostname(2)))
                .map(HarperOperationLog.Call::at).toList();
        assertThat(aboutPartial).as("add_node calls about the partial member").hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < aboutPartial.size(); i++) {
            assertThat(Duration.between(aboutPartial.get(i - 1), aboutPartial.get(i)))
                    .as("between add_node calls %d and %d about the partial member", i - 1, i)
                    .isGreaterThanOrEqualTo(HarperClusterReconciler.CONVERGING_INTERVAL.minusMillis(100));
        }

        insert(0, "from-a");
        await().atMost(CONVERGE).until(() -> read(2, "from-a"));
        insert(2, "from-c");
        insert(1, "marker-b");
        // marker-b reaching member-0 shows that replication ran since from-c was written.
        await().atMost(CONVERGE).until(() -> read(0, "marker-b"));
        assertThat(read(0, "from-c")).isFalse();
        assertThat(read(1, "from-c")).isFalse();
        assertThat(partial.getMetadata().getName()).isEqualTo("member-2");

        // Now it publishes too: a change of an existing partial member goes as update_node, one per
        // peer, and on 4.7.29 it takes at once (both ends' records), so no add_node follows.
        harperCalls.clear();
        kubernetes.client().resources(HarperNode.class).inNamespace(NAMESPACE).withName("member-2")
                .edit(n -> {
                    n.getSpec().getSubscriptions().get(0).setPublish(true);
                    return n;
                });
        await().atMost(CONVERGE).until(() -> harperCalls.writes().size() >= 2);
        insert(2, "from-c-publishing");
        await().atMost(CONVERGE).until(() -> read(0, "from-c-publishing") && read(1, "from-c-publishing"));
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        // Sent as update_node first; an update_node that reached its target only is followed by add_node
        // (docs/planner.md), which a loaded machine showed once.
        assertThat(harperCalls.writes()).extracting(HarperOperationLog.Call::operation).startsWith("update_node")
                .isSubsetOf("update_node", "add_node");
        assertThat(harperCalls.writes()).extracting(c -> c.body().path("hostname").asText()).containsOnly(hostname(2));
    }

    @Test
    void aDeletedNodeLeavesTheMeshAndItsFinalizerGoes() {
        applyClusterOfThree();
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));

        shareTable();
        kubernetes.client().resources(HarperNode.class).inNamespace(NAMESPACE).withName("member-2").delete();

        await().atMost(CONVERGE).until(() -> node("member-2") == null);
        assertThat(real.instance(0).nodeRecordNames()).doesNotContain(hostname(2));
        assertThat(real.instance(1).nodeRecordNames()).doesNotContain(hostname(2));
        HarperCluster two = awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "2/2".equals(c.getStatus().getReadyMembers()));
        assertThat(two.getStatus().getMembers()).extracting(MemberStatus::getName).containsExactlyInAnyOrder(hostname(0), hostname(1));
        assertThat(harperCalls.writes()).extracting(HarperOperationLog.Call::operation).contains("remove_node");
        insert(0, "after-removal");
        await().atMost(CONVERGE).until(() -> read(1, "after-removal"));
    }

    @Test
    void anUnreachableMemberDegradesTheClusterUntilItIsBack() {
        applyClusterOfThree();
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));

        real.stop(1);
        HarperCluster degraded = awaitCluster(c -> c.getStatus().getPhase() == Phase.DEGRADED);
        Condition condition = condition(degraded, Conditions.DEGRADED);
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getMessage()).contains("member " + hostname(1) + " is unreachable");

        real.start(1);
        HarperCluster back = awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        assertThat(back.getStatus().getReadyMembers()).isEqualTo("3/3");
    }

    @Test
    void pausedClustersSendNothingUntilResumed() {
        HarperCluster cluster = Resources.cluster("demo");
        cluster.getMetadata().setAnnotations(Map.of(Annotations.PAUSE, "true"));
        kubernetes.client().resource(cluster).create();
        applyNodes();

        awaitCluster(c -> c.getStatus().getPhase() == Phase.PAUSED);
        operator.awaitRounds(3);
        assertThat(harperCalls.writes()).isEmpty();
        assertThat(real.instance(0).connectionNames()).isEmpty();

        kubernetes.client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo")
                .edit(c -> {
                    c.getMetadata().getAnnotations().remove(Annotations.PAUSE);
                    return c;
                });
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        assertThat(harperCalls.writes()).isNotEmpty();
    }

    @Test
    void anIdleClusterWritesNothing() {
        applyClusterOfThree();
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        // Let the HarperNode statuses settle too.
        await().atMost(CONVERGE).until(() -> List.of(0, 1, 2).stream().allMatch(i -> {
            HarperNode n = node("member-" + i);
            return n.getStatus() != null && n.getStatus().getPhase() == Phase.READY;
        }));
        // and the statuses' last details (sockets that connect a little after the links): 3 s without a write
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            kubernetes.clearRequests();
            Thread.sleep(3_000);
            return kubernetes.writes().isEmpty();
        });
        harperCalls.clear();
        kubernetes.clearRequests();

        // Several rounds of the cluster.
        operator.awaitRounds(4);

        assertThat(harperCalls.calls()).extracting(HarperOperationLog.Call::operation).contains("cluster_status");
        assertThat(harperCalls.writes()).isEmpty();
        assertThat(kubernetes.writesWithBodies()).isEmpty();
    }

    @Test
    void routesAreWrittenAndTakeEffectAfterARestart() {
        HarperCluster cluster = Resources.cluster("demo");
        cluster.getSpec().getReplication().setRoutes(List.of(Route.of("10.0.0.1:9933"), Route.of("east.example.com", 9933)));
        kubernetes.client().resource(cluster).create();
        applyNodes();

        HarperCluster pending = awaitCluster(c -> c.getStatus().getRoutesPendingRestart() != null
                && c.getStatus().getRoutesPendingRestart().size() == 3
                && c.getStatus().getMembers().stream().allMatch(m -> m.getWrittenRoutes() != null));
        assertThat(pending.getStatus().getRoutesPendingRestart()).containsExactlyInAnyOrder(hostname(0), hostname(1), hostname(2));

        real.stop(0);
        real.start(0);
        JsonNode routes = real.instance(0).post(Map.of("operation", "cluster_get_routes"));
        assertThat(routes.toString()).contains("10.0.0.1:9933").contains("east.example.com");
        assertThat(routes.size()).isEqualTo(2);
        awaitCluster(c -> c.getStatus().getRoutesPendingRestart() != null
                && !c.getStatus().getRoutesPendingRestart().contains(hostname(0)));

        // Removing a route from the spec deletes it from every member's configuration.
        kubernetes.client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo")
                .edit(c -> {
                    c.getSpec().getReplication().setRoutes(List.of(Route.of("10.0.0.1:9933")));
                    return c;
                });
        // Written to member 0's config: its status records exactly the remaining route, as it was written
        // (a bare host:port goes as wss://host:port, which 4.7.29 reads right at start).
        awaitCluster(c -> c.getStatus().getMembers().stream().anyMatch(m -> m.getName().equals(hostname(0))
                && List.of(Route.of("wss://10.0.0.1:9933")).equals(m.getWrittenRoutes())));
        real.stop(0);
        real.start(0);
        JsonNode after = real.instance(0).post(Map.of("operation", "cluster_get_routes"));
        assertThat(after.size()).isEqualTo(1);
        assertThat(after.toString()).contains("10.0.0.1:9933").doesNotContain("east.example.com");
    }

    @Test
    void aWrongPasswordIsReportedAndNothingIsSentAboutThatMember() {
        kubernetes.client().resource(Resources.cluster("demo")).create();
        kubernetes.client().resource(Resources.secret("member-0-admin", real.instance(0).username(), real.instance(0).password())).create();
        kubernetes.client().resource(Resources.secret("member-1-admin", real.instance(1).username(), "wrong-Pa55word")).create();
        kubernetes.client().resource(Resources.node("member-0", "demo", hostname(0), real.instance(0).operationsUrl(), "member-0-admin")).create();
        kubernetes.client().resource(Resources.node("member-1", "demo", hostname(1), real.instance(1).operationsUrl(), "member-1-admin")).create();

        HarperCluster failed = awaitCluster(c -> c.getStatus().getPhase() == Phase.FAILED);
        Condition reconciled = condition(failed, Conditions.RECONCILED);
        assertThat(reconciled.getReason()).isEqualTo("CredentialsUnavailable");
        assertThat(reconciled.getMessage()).contains(hostname(1)).doesNotContain("wrong-Pa55word");
        assertThat(harperCalls.writes()).isEmpty();
        assertThat(real.instance(0).connectionNames()).isEmpty();

        // Fixing the Secret is picked up without touching the cluster.
        kubernetes.client().resource(Resources.secret("member-1-admin", real.instance(1).username(), real.instance(1).password())).update();
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "2/2".equals(c.getStatus().getReadyMembers()));
    }

    private void applyClusterOfThree() {
        kubernetes.client().resource(Resources.cluster("demo")).create();
        applyNodes();
    }

    private void applyNodes() {
        for (int i = 0; i < 3; i++) {
            HarperDbInstance instance = real.instance(i);
            kubernetes.client().resource(Resources.secret("member-" + i + "-admin", instance.username(), instance.password())).create();
            kubernetes.client().resource(Resources.node("member-" + i, "demo", instance.hostname(), instance.operationsUrl(),
                    "member-" + i + "-admin")).create();
        }
    }

    private String hostname(int index) {
        return real.instance(index).hostname();
    }

    /**
     * Creates the test's table on member 0 once the mesh exists and waits until it has replicated:
     * tables created on each instance apart did not always replicate their data.
     */
    private void shareTable() {
        real.instance(0).post(Map.of("operation", "create_table", "database", "data", "table", table, "primary_key", "id"));
        await().atMost(CONVERGE).until(() -> real.instances().stream().allMatch(i ->
                i.call(Map.of("operation", "describe_table", "database", "data", "table", table)).ok()));
    }

    private void insert(int index, String id) {
        real.instance(index).post(Map.of("operation", "insert", "database", "data", "table", table,
                "records", List.of(Map.of("id", id, "name", id))));
    }

    private boolean read(int index, String id) {
        HarperDbInstance.Answer found = real.instance(index).call(Map.of("operation", "search_by_id", "database", "data",
                "table", table, "ids", List.of(id), "get_attributes", List.of("id")));
        return found.ok() && found.body().isArray() && found.body().size() == 1;
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return ClusterAwait.until(kubernetes.client(), NAMESPACE, "demo", CONVERGE, condition);
    }

    private HarperNode node(String name) {
        return kubernetes.client().resources(HarperNode.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private static Condition condition(HarperCluster cluster, String type) {
        return cluster.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
