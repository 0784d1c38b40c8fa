package io.harperdb.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.reconciler.HarperClientFactory;
import io.harperdb.operator.resources.MemberAddress;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh mock API server, the operator on it and a user's client for each test ({@code @RegisterExtension}),
 * started before the class's {@code @BeforeEach} methods and stopped after its {@code @AfterEach} methods, even
 * when a test fails.
 */
public final class OperatorOnMockApi implements BeforeEachCallback, AfterEachCallback {
    /** Where managed pods answer when no HarperDB runs: port 1, on which nothing listens (no DNS look-ups either). */
    public static final String NOWHERE = "http://127.0.0.1:1";

    private final Function<MockKubernetes, RunningOperator> start;
    private MockKubernetes kubernetes;
    private KubernetesClient user;
    private RunningOperator operator;

    /** Managed pods at their stable DNS names, as the operator runs in a cluster. */
    public OperatorOnMockApi() {
        this(RunningOperator::new);
    }

    private OperatorOnMockApi(Function<MockKubernetes, RunningOperator> start) {
        this.start = start;
    }

    /** Managed pod {@code <cluster>-i} is named so and answers {@link #NOWHERE}: every member unreachable at once. */
    public static OperatorOnMockApi managedPodsUnreachable() {
        return new OperatorOnMockApi(kubernetes -> new RunningOperator(kubernetes, new HarperClientFactory(RunningOperator.TEST_TIMEOUTS),
                (cluster, ordinal) -> {
                    String pod = cluster.getMetadata().getName() + "-" + ordinal;
                    return new MemberAddress(pod, pod, pod, NOWHERE);
                }));
    }

    /**
     * Managed pod {@code <cluster>-i} is named so and answers at {@code url}, asked for at each call (so a stand-in
     * made in the test's own {@code @BeforeEach} can serve).
     */
    public static OperatorOnMockApi managedPodsAt(java.util.function.Supplier<String> url) {
        return new OperatorOnMockApi(kubernetes -> new RunningOperator(kubernetes, new HarperClientFactory(RunningOperator.TEST_TIMEOUTS),
                (cluster, ordinal) -> {
                    String pod = cluster.getMetadata().getName() + "-" + ordinal;
                    return new MemberAddress(pod, pod, pod, url.get());
                }));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        kubernetes = new MockKubernetes();
        user = kubernetes.newUserClient();
        operator = start.apply(kubernetes);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (operator != null) operator.close();
        } finally {
            if (user != null) user.close();
            if (kubernetes != null) kubernetes.close();
        }
    }

    public MockKubernetes kubernetes() {
        return kubernetes;
    }

    /** A client as a user's kubectl: not the operator's. */
    public KubernetesClient user() {
        return user;
    }

    public RunningOperator operator() {
        return operator;
    }
}
