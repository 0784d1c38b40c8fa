package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.ResourceNames;
import io.harperdb.operator.testing.ClusterAwait;
import io.harperdb.operator.testing.FakeKubelet;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.testing.HarperDb;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator stopped between the steps of a scale-down (cut the leaving pod's client traffic, wait for the
 * survivors to catch up, remove_node, shrink the StatefulSet), against real HarperDB 4.7.29: a new operator,
 * with nothing of the old one's memory, finishes the scale-down from what it observes, sends remove_node once
 * in all, and shrinks. The stopped operator's calls to HarperDB fail from the moment it is stopped, as a killed
 * process's would; {@link OperatorFailoverIT} kills the operator's own process for the removal of a HarperNode.
 */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb(instances = 3, resetBeforeEach = false)
class ScaleDownRestartEndToEndTest {
    private static final Duration CONVERGE = Duration.ofSeconds(120);

    private HarperDbCluster real;
    private MockKubernetes kubernetes;
    private KubernetesClient user;
    private FakeKubelet kubelet;
    private HarperDbTable table;
    private final List<RunningOperator> operators = new ArrayList<>();

    @BeforeEach
    void start(HarperDbCluster real) {
        this.real = real;
        real.reinstall(); // fresh instances (spares made ready while the last test ran), not a reset of used ones
        table = HarperDbTable.onEveryInstance(real, "restarted");
        kubernetes = new MockKubernetes();
        user = kubernetes.newUserClient();
        kubelet = new FakeKubelet(user, real, NAMESPACE, "demo", replicas -> {
        });
    }

    @AfterEach
    void stop() {
        kubelet.close();
        operators.forEach(RunningOperator::close);
        user.close();
        kubernetes.close();
    }

    @Test
    void stoppedAfterRemoveNodeTheNextOperatorShrinksWithoutRemovingAgain() throws Exception {
        HarperOperationLog first = new HarperOperationLog();
        RunningOperator firstOperator = operator(first);
        createCluster(3);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        Thread stopping = stopWhen(first, firstOperator);
        first.onceAnswered("remove_node", () -> stopping.start());

        ManagedResourcesTest.editCluster(user, c -> c.getSpec().getInstances().setReplicas(2));
        // through ClusterAwait: on timeout it shows the cluster's status (what the drain waits for)
        awaitCluster(c -> !stopping.isAlive() && stopping.getState() == Thread.State.TERMINATED);
        assertThat(first.writes()).extracting(HarperOperationLog.Call::operation).containsOnlyOnce("remove_node");
        assertThat(replicas()).as("the StatefulSet still holds the removed pod").isEqualTo(3);
        assertThat(real.instance(0).nodeRecordNames()).doesNotContain(real.instance(2).hostname());

        HarperOperationLog second = new HarperOperationLog();
        operator(second);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "2/2".equals(c.getStatus().getReadyMembers()) && replicas() == 2);
        await().atMost(CONVERGE).until(() -> !real.instance(2).isRunning());
        assertThat(second.writes()).extracting(HarperOperationLog.Call::operation).doesNotContain("remove_node", "add_node");
        assertThat(kubelet.replicasSeen()).containsSubsequence(3, 2).doesNotContain(1);
        assertThat(table.insert(0, "after")).isTrue();
        await().atMost(CONVERGE).until(() -> table.ids(1).contains("after"));
    }

    @Test
    void stoppedAfterTheCutTheNextOperatorDrainsAgainAndLosesNoLateWrite() throws Exception {
        HarperOperationLog first = new HarperOperationLog();
        RunningOperator firstOperator = operator(first);
        createCluster(3);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));

        ManagedResourcesTest.editCluster(user, c -> c.getSpec().getInstances().setReplicas(2));
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50)).until(() -> ResourceNames.NOT_SERVING.equals(servingLabel("demo-2")));
        Thread stopping = stopWhen(first, firstOperator);
        stopping.start();
        // a client that had picked demo-2 before the cut: its write lands after the cut, on the leaving member
        assertThat(table.insert(2, "late-write")).isTrue();
        stopping.join(60_000);
        assertThat(first.writes()).extracting(HarperOperationLog.Call::operation).doesNotContain("remove_node");
        assertThat(replicas()).isEqualTo(3);

        HarperOperationLog second = new HarperOperationLog();
        operator(second);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "2/2".equals(c.getStatus().getReadyMembers()) && replicas() == 2);
        assertThat(servingLabel("demo-2")).as("the leaving pod never served again").isIn(ResourceNames.NOT_SERVING, null);
        assertThat(second.writes()).extracting(HarperOperationLog.Call::operation).containsOnlyOnce("remove_node");
        for (int survivor = 0; survivor < 2; survivor++) {
            assertThat(table.ids(survivor)).as("records on " + real.instance(survivor).hostname()).contains("late-write");
        }
    }

    private RunningOperator operator(HarperOperationLog log) {
        RunningOperator operator = RunningOperator.onFixture(kubernetes, log, real);
        operators.add(operator);
        return operator;
    }

    /** A thread that, once started, cuts the operator off HarperDB and stops it (not on the operator's own thread). */
    private static Thread stopWhen(HarperOperationLog log, RunningOperator operator) {
        return new Thread(() -> {
            log.sever();
            operator.close();
        }, "operator-stop");
    }

    private void createCluster(int replicas) {
        user.resource(Resources.secret("demo-credentials", real.instance(0).username(), real.instance(0).password())).create();
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", replicas);
        cluster.getSpec().setAdminSecret("demo-credentials");
        cluster.getSpec().getInstances().getSidecar().setEnabled(false);
        user.resource(cluster).create();
    }

    private int replicas() {
        StatefulSet set = user.apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get();
        return set == null ? -1 : set.getSpec().getReplicas();
    }

    private String servingLabel(String pod) {
        Pod found = user.pods().inNamespace(NAMESPACE).withName(pod).get();
        return found == null ? null : found.getMetadata().getLabels().get(ResourceNames.LABEL_SERVING);
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return ClusterAwait.until(user, NAMESPACE, "demo", CONVERGE, condition);
    }
}
