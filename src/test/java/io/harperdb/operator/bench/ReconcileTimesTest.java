package io.harperdb.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reconcile percentiles read from an operator's /metrics text are those read from its registry. */
class ReconcileTimesTest {
    @Test
    void theScrapedHistogramGivesTheRegistrysPercentiles() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer cluster = Timer.builder(ReconcileTimes.TIMER).tag("controller", "harpercluster").publishPercentileHistogram().register(registry);
        Timer node = Timer.builder(ReconcileTimes.TIMER).tag("controller", "harpernode").publishPercentileHistogram().register(registry);
        for (int i = 1; i <= 200; i++) {
            cluster.record(Duration.ofMillis(i));
        }
        node.record(Duration.ofMillis(40));
        ReconcileTimes none = ReconcileTimes.parse("");

        String scraped = ReconcileTimes.parse(registry.scrape()).since(none);

        assertThat(scraped).isEqualTo(ReconcileTimes.snapshot(registry).since(none))
                .contains("harpercluster p50", "(200)", "harpernode p50", "(1)");
    }
}
