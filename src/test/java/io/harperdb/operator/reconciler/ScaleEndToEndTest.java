package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.ClusterAwait;
import io.harperdb.operator.testing.FakeKubelet;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.testing.HarperDb;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbInstance;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Managed instances scaled 3 -> 5 -> 2 against real HarperDB 4.7.29: a {@link FakeKubelet} runs fixture
 * instance {@code i} for pod {@code demo-i}, and the operator reaches pod {@code i} at that instance's
 * loopback address (its member address resolver), as it would reach the pod's stable DNS name in a cluster.
 * The fixture's instances share one admin password per run, so one admin Secret serves them all.
 */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb(instances = 5, resetBeforeEach = false)
class ScaleEndToEndTest {
    private static final Duration CONVERGE = Duration.ofSeconds(90);

    private HarperDbCluster real;
    private MockKubernetes kubernetes;
    private KubernetesClient user;
    private HarperOperationLog harperCalls;
    private RunningOperator operator;
    private FakeKubelet kubelet;
    private final AtomicReference<List<HarperOperationLog.Call>> writesWhenShrunk = new AtomicReference<>();
    private String table;

    @BeforeEach
    void start(HarperDbCluster real) {
        this.real = real;
        real.reinstall(); // fresh instances (spares made ready while the last test ran), not a reset of used ones
        table = "scaled" + System.nanoTime() % 100_000;
        for (HarperDbInstance instance : real.instances()) {
            instance.call(Map.of("operation", "create_table", "database", "data", "table", table, "primary_key", "id"));
        }
        // Pods 3 and 4 do not exist yet.
        real.stop(3);
        real.stop(4);
        kubernetes = new MockKubernetes();
        user = kubernetes.newUserClient();
        harperCalls = new HarperOperationLog();
        operator = RunningOperator.onFixture(kubernetes, harperCalls, real);
        kubelet = new FakeKubelet(user, real, NAMESPACE, "demo", replicas -> {
            List<Integer> seen = kubelet == null ? List.of() : kubelet.replicasSeen();
            if (replicas == 2 && seen.contains(5)) {
                writesWhenShrunk.set(harperCalls.writes());
            }
        });
    }

    @AfterEach
    void stop() {
        kubelet.close();
        operator.close();
        user.close();
        kubernetes.close();
    }

    @Test
    void scalesThreeToFiveToTwoKeepingTheMeshAndTheData() {
        user.resource(Resources.secret("demo-credentials", real.instance(0).username(), real.instance(0).password())).create();
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 3);
        cluster.getSpec().setAdminSecret("demo-credentials");
        cluster.getSpec().getInstances().getSidecar().setEnabled(false);
        user.resource(cluster).create();

        awaitReady(3);
        assertMesh(0, 1, 2);
        insert(0, "before-scaling");
        await().atMost(CONVERGE).until(() -> read(1, "before-scaling") && read(2, "before-scaling"));

        ManagedResourcesTest.editCluster(user, c -> c.getSpec().getInstances().setReplicas(5));
        HarperCluster five = awaitReady(5);
        assertThat(five.getStatus().getMembers()).extracting(MemberStatus::getName)
                .containsExactlyInAnyOrder(hostnames(0, 1, 2, 3, 4).toArray(String[]::new));
        assertMesh(0, 1, 2, 3, 4);
        // One add_node per newcomer at most; no member was removed.
        assertThat(harperCalls.writes()).extracting(HarperOperationLog.Call::operation).doesNotContain("remove_node");

        ManagedResourcesTest.editCluster(user, c -> c.getSpec().getInstances().setReplicas(2));
        HarperCluster two = awaitReady(2);
        assertThat(two.getStatus().getMembers()).extracting(MemberStatus::getName).containsExactlyInAnyOrder(hostname(0), hostname(1));
        // Ready counts the staying members; the leaving pods go right after.
        await().atMost(CONVERGE).until(() -> !real.instance(2).isRunning() && !real.instance(3).isRunning() && !real.instance(4).isRunning());
        assertThat(kubelet.replicasSeen()).containsSubsequence(3, 5, 2);
        // The StatefulSet shrank only after each leaving pod had been removed from the mesh.
        List<HarperOperationLog.Call> before = writesWhenShrunk.get();
        assertThat(before).as("writes sent before the StatefulSet shrank").isNotNull();
        assertThat(before.stream().filter(c -> c.operation().equals("remove_node")).map(c -> c.body().path("hostname").asText()))
                .containsExactlyInAnyOrderElementsOf(hostnames(2, 3, 4));
        assertMesh(0, 1);
        assertThat(read(0, "before-scaling")).isTrue();
        assertThat(read(1, "before-scaling")).isTrue();
        insert(1, "after-scaling");
        await().atMost(CONVERGE).until(() -> read(0, "after-scaling"));
    }

    /** Each of these instances holds records of exactly the others (its own record aside). */
    private void assertMesh(int... members) {
        Set<String> all = new HashSet<>(hostnames(members));
        for (int i : members) {
            Set<String> expected = new HashSet<>(all);
            expected.remove(hostname(i));
            await().atMost(CONVERGE).untilAsserted(() -> assertThat(real.instance(i).nodeRecordNames().stream()
                    .filter(n -> !n.equals(hostname(i))).collect(Collectors.toSet())).as("records on " + hostname(i)).isEqualTo(expected));
        }
    }

    private HarperCluster awaitReady(int members) {
        return awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && (members + "/" + members).equals(c.getStatus().getReadyMembers()));
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return ClusterAwait.until(user, NAMESPACE, "demo", CONVERGE, condition);
    }

    private String hostname(int index) {
        return real.instance(index).hostname();
    }

    private List<String> hostnames(int... indexes) {
        return IntStream.of(indexes).mapToObj(this::hostname).toList();
    }

    private void insert(int index, String id) {
        real.instance(index).post(Map.of("operation", "insert", "database", "data", "table", table,
                "records", List.of(Map.of("id", id, "name", id))));
    }

    private boolean read(int index, String id) {
        JsonNode found = real.instance(index).post(Map.of("operation", "search_by_id", "database", "data", "table", table,
                "ids", List.of(id), "get_attributes", List.of("id")));
        return found.isArray() && found.size() == 1;
    }
}
