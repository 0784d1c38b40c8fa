package io.harperdb.operator.testing;

import io.harperdb.operator.HarperOperator;
import io.harperdb.operator.OperatorSettings;
import io.harperdb.operator.reconciler.HarperClientFactory;
import io.harperdb.replication.client.HarperClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import org.awaitility.Awaitility;

/** The operator, started against a mock API server, as Main starts it against a real one (no leader election). */
public final class RunningOperator implements AutoCloseable {
    public static final HarperClient.Timeouts TEST_TIMEOUTS = new HarperClient.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));

    private final HarperOperator operator;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public RunningOperator(MockKubernetes kubernetes) {
        this(kubernetes, new HarperClientFactory(TEST_TIMEOUTS));
    }

    public RunningOperator(MockKubernetes kubernetes, HarperClientFactory clients) {
        operator = new HarperOperator(kubernetes.client(), new OperatorSettings(Set.of(), false, "lock", null, 0), clients, registry);
        operator.start();
        Awaitility.await("operator ready").atMost(Duration.ofSeconds(30)).until(operator::isReady);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        operator.close();
    }
}
