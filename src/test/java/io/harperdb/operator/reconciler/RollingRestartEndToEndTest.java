package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.TemplateHash;
import io.harperdb.operator.testing.ClusterAwait;
import io.harperdb.operator.testing.FakeKubelet;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.testing.HarperDb;
import io.harperdb.testing.HarperDbCluster;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A changed pod template rolls the managed pods of a real three-member cluster one at a time, highest
 * ordinal first, each after the previous one is back and reconnected; the restarted members keep their
 * identity, so nothing is removed from or added to the mesh. A {@link FakeKubelet} restarts the instance of
 * each deleted pod.
 */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb(instances = 3, resetBeforeEach = false)
class RollingRestartEndToEndTest {
    private static final Duration CONVERGE = Duration.ofSeconds(90);

    private HarperDbCluster real;
    private MockKubernetes kubernetes;
    private KubernetesClient user;
    private HarperOperationLog harperCalls;
    private RunningOperator operator;
    private FakeKubelet kubelet;

    @BeforeEach
    void start(HarperDbCluster real) {
        this.real = real;
        real.reinstall(); // fresh instances (spares made ready while the last test ran), not a reset of used ones
        kubernetes = new MockKubernetes();
        user = kubernetes.newUserClient();
        harperCalls = new HarperOperationLog();
        operator = RunningOperator.onFixture(kubernetes, harperCalls, real);
        kubelet = new FakeKubelet(user, real, NAMESPACE, "demo", replicas -> { });
    }

    @AfterEach
    void stop() {
        kubelet.close();
        operator.close();
        user.close();
        kubernetes.close();
    }

    @Test
    void aTemplateChangeRestartsOnePodAtATimeWithoutMembershipChurn() {
        user.resource(Resources.secret("demo-credentials", real.instance(0).username(), real.instance(0).password())).create();
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 3);
        cluster.getSpec().setAdminSecret("demo-credentials");
        user.resource(cluster).create();
        HarperCluster ready = awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers())
                && c.getStatus().getVersion() != null);
        // what real 4.7.29 instances report (registration_info)
        assertThat(ready.getStatus().getVersion()).isEqualTo("4.7.29");
        assertThat(ready.getStatus().getMembers()).extracting(io.harperdb.operator.api.MemberStatus::getVersion)
                .containsExactly("4.7.29", "4.7.29", "4.7.29");
        String before = TemplateHash.desired(user.apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get());
        harperCalls.clear();

        // The fake kubelet runs the same HarperDB whatever the image: what counts is that the template changed.
        ManagedResourcesTest.editCluster(user, c -> c.getSpec().getInstances().setImage("harperdb/harperdb:4.7.29-rolled"));

        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String desired = TemplateHash.desired(user.apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get());
            List<Pod> pods = user.pods().inNamespace(NAMESPACE).list().getItems();
            return !desired.equals(before) && pods.size() == 3 && pods.stream().allMatch(p -> desired.equals(TemplateHash.current(p)));
        });
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));

        assertThat(kubelet.restarts()).containsExactly(2, 1, 0);
        assertThat(kubelet.mostRestartingAtOnce()).isEqualTo(1);
        // A restarted member keeps its name and its records: no remove_node, no add_node.
        assertThat(harperCalls.writes()).extracting(HarperOperationLog.Call::operation).isEmpty();
        assertThat(user.v1().events().inNamespace(NAMESPACE).list().getItems())
                .filteredOn(e -> "RestartingPod".equals(e.getReason())).hasSize(3);

        // a restart on demand rolls them again the same way, and the members keep their records
        harperCalls.clear();
        String rolled = TemplateHash.desired(user.apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get());
        user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").edit(c -> {
            c.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(
                    io.harperdb.operator.resources.DesiredStatefulSet.RESTARTED_AT_ANNOTATION, "2026-12-03T04:30:00Z")));
            return c;
        });
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String desired = TemplateHash.desired(user.apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get());
            List<Pod> pods = user.pods().inNamespace(NAMESPACE).list().getItems();
            return !desired.equals(rolled) && kubelet.restarts().size() == 6 && pods.size() == 3
                    && pods.stream().allMatch(p -> desired.equals(TemplateHash.current(p)));
        });
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        assertThat(kubelet.restarts()).containsExactly(2, 1, 0, 2, 1, 0);
        assertThat(kubelet.mostRestartingAtOnce()).isEqualTo(1);
        assertThat(harperCalls.writes()).extracting(HarperOperationLog.Call::operation).isEmpty();
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return ClusterAwait.until(user, NAMESPACE, "demo", CONVERGE, condition);
    }
}
