package io.harperdb.operator.testing;

import io.harperdb.operator.HarperOperator;
import io.harperdb.operator.OperatorSettings;
import io.harperdb.operator.reconciler.HarperClientFactory;
import io.harperdb.operator.resources.MemberAddress;
import io.harperdb.operator.resources.DesiredStatefulSet;
import io.harperdb.operator.resources.MemberAddressResolver;
import io.harperdb.replication.client.HarperClient;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbInstance;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import org.awaitility.Awaitility;

/** The operator, started against a mock API server, as Main starts it against a real one (no leader election). */
public final class RunningOperator implements AutoCloseable {
    /** The operator's image as OPERATOR_IMAGE would give it, for the sidecar in managed StatefulSets. */
    public static final String SIDECAR_IMAGE = "ghcr.io/harperdb-operator/harperdb-operator:test";
    public static final HarperClient.Timeouts TEST_TIMEOUTS = new HarperClient.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));

    private final HarperOperator operator;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public RunningOperator(MockKubernetes kubernetes) {
        this(kubernetes, new HarperClientFactory(TEST_TIMEOUTS));
    }

    public RunningOperator(MockKubernetes kubernetes, HarperClientFactory clients) {
        this(kubernetes, clients, MemberAddressResolver.stableDns());
    }

    /** With managed pods answering where {@code addresses} says (test instances instead of pod DNS names). */
    public RunningOperator(MockKubernetes kubernetes, HarperClientFactory clients, MemberAddressResolver addresses) {
        this(kubernetes, clients, addresses, java.time.Clock.systemUTC());
    }

    /** @param clock the operator's clock, for a test that moves it on rather than wait for a time rule */
    public RunningOperator(MockKubernetes kubernetes, HarperClientFactory clients, MemberAddressResolver addresses, java.time.Clock clock) {
        operator = new HarperOperator(kubernetes.client(), new OperatorSettings(Set.of(), false, "lock", null, 0), clients, registry,
                addresses, new DesiredStatefulSet(SIDECAR_IMAGE), clock);
        operator.start();
        Awaitility.await("operator ready").atMost(Duration.ofSeconds(30)).until(operator::isReady);
    }

    /**
     * Managed pod {@code <cluster>-i} answers at fixture instance {@code i} (named by its hostname), every
     * Operations API call recorded in {@code log}: what a {@link FakeKubelet} runs.
     */
    public static RunningOperator onFixture(MockKubernetes kubernetes, HarperOperationLog log, HarperDbCluster real) {
        return onFixture(kubernetes, log, real, java.time.Clock.systemUTC());
    }

    /** As {@link #onFixture(MockKubernetes, HarperOperationLog, HarperDbCluster)}, on {@code clock}. */
    public static RunningOperator onFixture(MockKubernetes kubernetes, HarperOperationLog log, HarperDbCluster real, java.time.Clock clock) {
        return new RunningOperator(kubernetes, new HarperClientFactory(TEST_TIMEOUTS, log.client()), (cluster, ordinal) -> {
            HarperDbInstance instance = real.instance(ordinal);
            return new MemberAddress(cluster.getMetadata().getName() + "-" + ordinal, instance.hostname(),
                    instance.hostname(), instance.operationsUrl());
        }, clock);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Reconciliations of HarperClusters the operator has finished so far (JOSDK's counter
     * {@code operator.sdk.reconciliations.success}, kind HarperCluster).
     */
    public double clusterRounds() {
        return registry.find("operator.sdk.reconciliations.success").tag("kind", "HarperCluster").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    /**
     * Waits until the operator has finished {@code rounds} more HarperCluster rounds: "nothing happens" is
     * checked over a number of rounds, not a number of seconds that a loaded machine may not fill.
     */
    public void awaitRounds(int rounds) {
        double target = clusterRounds() + rounds;
        Awaitility.await(rounds + " more HarperCluster rounds").atMost(Duration.ofSeconds(30L * rounds))
                .pollInterval(Duration.ofMillis(100)).until(() -> clusterRounds() >= target);
    }

    @Override
    public void close() {
        operator.close();
    }
}
