package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.operator.api.HarperCluster;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The certificate expiry gauge: one per certificate, its value the expiry in Unix seconds, gone with the certificate. */
class CertificateMetricsTest {

    @Test
    void eachCertificateHasAGaugeOfItsExpiryUntilItIsDropped() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CertificateMetrics metrics = new CertificateMetrics(registry);
        HarperCluster cluster = Resources.cluster("demo");
        Instant ca = Instant.parse("2036-12-01T00:00:00Z");
        Instant pod0 = Instant.parse("2027-12-01T00:00:00Z");
        Instant pod1 = Instant.parse("2027-12-02T00:00:00Z");

        metrics.record(cluster, new ManagedResources.Certificates("b1", ca, Map.of("demo-0", pod0, "demo-1", pod1)));
        assertThat(registry.scrape()).contains("harperdb_operator_certificate_expiry_timestamp_seconds{certificate=\"ca\",cluster=\"demo\",namespace=\""
                + Resources.NAMESPACE + "\"}");
        assertThat(value(registry, "ca")).isEqualTo(ca.getEpochSecond());
        assertThat(value(registry, "demo-1")).isEqualTo(pod1.getEpochSecond());

        Instant renewed = Instant.parse("2028-11-01T00:00:00Z");
        metrics.record(cluster, new ManagedResources.Certificates("b2", ca, Map.of("demo-0", renewed)));
        assertThat(value(registry, "demo-0")).isEqualTo(renewed.getEpochSecond());
        assertThat(registry.find(CertificateMetrics.NAME).tag("certificate", "demo-1").gauge()).isNull();
        assertThat(registry.scrape()).doesNotContain("certificate=\"demo-1\"");
        CertificateMetrics.NONE.record(cluster, new ManagedResources.Certificates("b2", ca, Map.of()));    // records nothing, throws nothing
    }

    private static long value(PrometheusMeterRegistry registry, String certificate) {
        return (long) registry.get(CertificateMetrics.NAME).tags("certificate", certificate, "cluster", "demo").gauge().value();
    }
}
