package io.harperdb.operator.reconciler;

import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.replication.sidecar.PrometheusText;
import io.harperdb.replication.sidecar.Readiness;
import io.harperdb.replication.sidecar.Snapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names Prometheus really gets from this code, read from what it renders rather than from constants: the
 * operator's gauges (a registry scraped after one round's worth of records) and the sidecar's (its /metrics text).
 * Alert rules and dashboards are checked against these, so a renamed metric fails their tests.
 */
public final class ExportedMetrics {
    private static final Pattern TYPE_LINE = Pattern.compile("(?m)^# TYPE (\\S+) ");

    private ExportedMetrics() {
    }

    /** The operator's HarperCluster and certificate gauges, as its /metrics names them. */
    public static Set<String> operator() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HarperClusterStatus status = new HarperClusterStatus();
        status.setReadyMembers("1/2");
        new ClusterMetrics(registry).record(Resources.cluster("demo"), status, Map.of());
        new CertificateMetrics(registry).record(Resources.cluster("demo"),
                new ManagedResources.Certificates("b1", Instant.parse("2036-01-01T00:00:00Z"), Map.of()));
        return names(registry.scrape());
    }

    /** Every family the sidecar's /metrics declares (all are declared even when HarperDB is down). */
    public static Set<String> sidecar() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return names(PrometheusText.render(new Snapshot(now, false, null, "down", Readiness.notReady("down")), now));
    }

    public static Set<String> all() {
        Set<String> all = new TreeSet<>(operator());
        all.addAll(sidecar());
        return all;
    }

    private static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        Matcher m = TYPE_LINE.matcher(exposition);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
