package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.helm.ChartRbac;
import io.harperdb.operator.testing.ClusterAwait;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.HarperOperationsProxy;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.pods.OperatorProcess;
import io.harperdb.testing.HarperDb;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator as it runs in a cluster: its image's command in processes of their own, killed with
 * SIGKILL (no shutdown hook, nothing released), against the mock API server and three real HarperDB
 * instances. Every Operations API call goes through a recording proxy, so the calls of both processes
 * are seen. Needs {@code mvn package} (the image's jar): an IT of the pod-contract execution.
 */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb(instances = 3, resetBeforeEach = false)
class OperatorFailoverIT {
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final String LEASE = "harperdb-operator-lock";
    /** Where the chart runs the operator and keeps its Lease (the namespace of ChartRbac.defaults()). */
    private static final String OPERATOR_NAMESPACE = "harperdb-operator";
    private static final Path DIR = Path.of("target", "operator-processes");

    private HarperDbCluster real;
    private MockKubernetes kubernetes;
    private final List<HarperOperationLog.Call> calls = HarperOperationsProxy.newLog();
    private final List<HarperOperationsProxy> proxies = new ArrayList<>();
    private final List<OperatorProcess> operators = new ArrayList<>();

    @BeforeEach
    void start(HarperDbCluster real) {
        this.real = real;
        real.reinstall();
        // SelfSubjectRulesReviews answered from the chart's RBAC: leader election checks its Lease access first.
        kubernetes = new MockKubernetes(ChartRbac.defaults()::resourceRulesIn);
        kubernetes.client().resource(Resources.cluster("demo")).create();
        for (int i = 0; i < 3; i++) {
            HarperDbInstance instance = real.instance(i);
            HarperOperationsProxy proxy = new HarperOperationsProxy(instance.operationsUrl(), calls);
            proxies.add(proxy);
            kubernetes.client().resource(Resources.secret("member-" + i + "-admin", instance.username(), instance.password())).create();
            kubernetes.client().resource(Resources.node("member-" + i, "demo", instance.hostname(), proxy.url(), "member-" + i + "-admin")).create();
        }
    }

    @AfterEach
    void stop() {
        operators.forEach(o -> {
            if (o.isAlive()) o.close();
        });
        proxies.forEach(HarperOperationsProxy::close);
        kubernetes.close();
    }

    @Test
    void whenTheLeaderIsKilledTheOtherTakesOverAndNoOperationIsSentTwice() {
        OperatorProcess first = operator("operator-a", true);
        awaitLeader("operator-a", first);
        OperatorProcess second = operator("operator-b", true);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()), first);
        assertThat(holder()).isEqualTo("operator-a");
        assertThat(writes()).extracting(HarperOperationLog.Call::operation).containsOnlyOnce("configure_cluster");

        first.kill();
        // The Lease is left held: the other waits out its duration (15 s by default), then leads.
        awaitLeader("operator-b", second);
        kubernetes.client().resources(HarperNode.class).inNamespace(NAMESPACE).withName("member-2").delete();
        await().atMost(CONVERGE).until(() -> node("member-2") == null);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "2/2".equals(c.getStatus().getReadyMembers()), second);

        assertThat(real.instance(0).nodeRecordNames()).doesNotContain(real.instance(2).hostname());
        assertThat(real.instance(1).nodeRecordNames()).doesNotContain(real.instance(2).hostname());
        assertThat(writes()).extracting(HarperOperationLog.Call::operation)
                .containsOnlyOnce("configure_cluster", "remove_node");
        assertNoWriteTwice();
    }

    @Test
    void killedBetweenRemoveNodeAndTheFinalizerTheRestartedOperatorFinishesTheRemovalWithoutRepeatingIt() {
        OperatorProcess first = operator("operator-a", false);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()), first);
        // HarperDB has removed the member; the operator dies before it learns so (and before the finalizer goes).
        proxies.forEach(p -> p.onceAnswered("remove_node", first::kill));

        kubernetes.client().resources(HarperNode.class).inNamespace(NAMESPACE).withName("member-2").delete();
        await().atMost(CONVERGE).until(() -> !first.isAlive());
        assertThat(node("member-2")).as("the finalizer still holds the deleted HarperNode").isNotNull();
        assertThat(real.instance(0).nodeRecordNames()).doesNotContain(real.instance(2).hostname());

        OperatorProcess restarted = operator("operator-a-restarted", false);
        try {
            await().atMost(CONVERGE).until(() -> node("member-2") == null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the finalizer was never released; the operator's log:\n" + restarted.logTail(60), e);
        }
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "2/2".equals(c.getStatus().getReadyMembers()), restarted);
        assertThat(writes()).extracting(HarperOperationLog.Call::operation).containsOnlyOnce("remove_node");
        assertNoWriteTwice();
    }

    private OperatorProcess operator(String podName, boolean leaderElection) {
        Map<String, String> env = new HashMap<>();
        env.put("KUBERNETES_MASTER", kubernetes.client().getMasterUrl().toString());
        env.put("HOSTNAME", podName); // the pod's name: what the Deployment's pods have, and the Lease holder's identity
        env.put("WATCH_NAMESPACES", NAMESPACE);
        env.put("LEADER_ELECTION", String.valueOf(leaderElection));
        env.put("LEADER_ELECTION_LEASE_NAMESPACE", OPERATOR_NAMESPACE);
        env.put("HTTP_PORT", "0");
        OperatorProcess process = OperatorProcess.start(podName, DIR, env);
        operators.add(process);
        return process;
    }

    private String holder() {
        Lease lease = kubernetes.client().leases().inNamespace(OPERATOR_NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private void awaitLeader(String identity, OperatorProcess process) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> identity.equals(holder()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the Lease is held by " + holder() + ", not " + identity + "; its log:\n" + process.logTail(60), e);
        }
    }

    private List<HarperOperationLog.Call> writes() {
        return calls.stream().filter(HarperOperationLog.Call::isWrite).toList();
    }

    /** The same operation with the same body to the same instance, twice: what a second leader or a replay would send. */
    private void assertNoWriteTwice() {
        Map<String, Long> counts = writes().stream()
                .collect(Collectors.groupingBy(c -> c.host() + " " + c.body(), Collectors.counting()));
        assertThat(counts).allSatisfy((call, count) -> assertThat(count).as(call).isEqualTo(1L));
    }

    private HarperNode node(String name) {
        return kubernetes.client().resources(HarperNode.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition, OperatorProcess operator) {
        return ClusterAwait.until(kubernetes.client(), NAMESPACE, "demo", CONVERGE, condition, () -> "\noperator log:\n" + operator.logTail(60));
    }
}
