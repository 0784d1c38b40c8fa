package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.testing.FakeKubelet;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.testing.HarperDbCluster;
import java.time.Clock;
import java.util.function.IntConsumer;

/**
 * A managed cluster "demo" on the fixture's real instances: a fresh mock API server, the operator on it (pod
 * {@code demo-i} answers at fixture instance {@code i}, every HarperDB call recorded in {@link #harperCalls()}),
 * and a {@link FakeKubelet} that runs instance {@code i} for pod {@code demo-i}. Made in a test's
 * {@code @BeforeEach}, closed in its {@code @AfterEach}.
 */
final class OperatorOnFixture implements AutoCloseable {
    private final HarperDbCluster real;
    private final MockKubernetes kubernetes = new MockKubernetes();
    private final KubernetesClient user = kubernetes.newUserClient();
    private final HarperOperationLog harperCalls = new HarperOperationLog();
    private final RunningOperator operator;
    private final FakeKubelet kubelet;

    OperatorOnFixture(HarperDbCluster real, Clock clock, IntConsumer onReplicas) {
        this.real = real;
        operator = RunningOperator.onFixture(kubernetes, harperCalls, real, clock);
        kubelet = new FakeKubelet(user, real, NAMESPACE, "demo", onReplicas);
    }

    OperatorOnFixture(HarperDbCluster real) {
        this(real, Clock.systemUTC(), replicas -> {
        });
    }

    /** Creates the admin Secret (the fixture's credentials) and HarperCluster "demo" of {@code replicas}, without the sidecar. */
    HarperCluster createCluster(int replicas) {
        user.resource(Resources.secret("demo-credentials", real.instance(0).username(), real.instance(0).password())).create();
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", replicas);
        cluster.getSpec().setAdminSecret("demo-credentials");
        cluster.getSpec().getInstances().getSidecar().setEnabled(false);
        return user.resource(cluster).create();
    }

    KubernetesClient user() {
        return user;
    }

    HarperOperationLog harperCalls() {
        return harperCalls;
    }

    RunningOperator operator() {
        return operator;
    }

    FakeKubelet kubelet() {
        return kubelet;
    }

    @Override
    public void close() {
        try {
            kubelet.close();
            operator.close();
        } finally {
            user.close();
            kubernetes.close();
        }
    }
}
