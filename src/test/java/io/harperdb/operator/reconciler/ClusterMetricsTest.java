package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.replication.client.Outcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The gauges of a cluster's status: what the chart's alert rules read. */
class ClusterMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClusterMetrics metrics = new ClusterMetrics(registry);
    private final HarperCluster cluster = Resources.cluster("demo");

    @Test
    void eachRoundSetsTheGaugesFromTheStatusItBuilt() {
        HarperClusterStatus status = new HarperClusterStatus();
        status.setReadyMembers("1/3");
        status.setRoutesPendingRestart(List.of("demo-0", "demo-2"));
        status.setConditions(List.of(new ConditionBuilder().withType(Conditions.READY).withStatus("False").build()));

        metrics.record(cluster, status, Map.of(
                "demo-0", MemberObservation.failed("demo-0", Outcome.UNAUTHORIZED, "401"),
                "demo-1", MemberObservation.failed("demo-1", Outcome.FORBIDDEN, "403"),
                "demo-2", MemberObservation.failed("demo-2", Outcome.UNREACHABLE, "refused")));

        assertThat(value(ClusterMetrics.MEMBERS)).isEqualTo(3);
        assertThat(value(ClusterMetrics.READY_MEMBERS)).isEqualTo(1);
        assertThat(value(ClusterMetrics.ROUTES_PENDING_RESTART)).isEqualTo(2);
        assertThat(value(ClusterMetrics.CREDENTIALS_REFUSED)).isEqualTo(2);    // not the unreachable one
        assertThat(value(ClusterMetrics.READY)).isZero();
        assertThat(registry.scrape()).contains("harperdb_operator_cluster_routes_pending_restart{cluster=\"demo\",namespace=\""
                + Resources.NAMESPACE + "\"} 2.0");

        status.setReadyMembers("3/3");
        status.setRoutesPendingRestart(null);
        status.setConditions(List.of(new ConditionBuilder().withType(Conditions.READY).withStatus("True").build()));
        metrics.record(cluster, status, Map.of());

        assertThat(value(ClusterMetrics.READY_MEMBERS)).isEqualTo(3);
        assertThat(value(ClusterMetrics.ROUTES_PENDING_RESTART)).isZero();
        assertThat(value(ClusterMetrics.CREDENTIALS_REFUSED)).isZero();
        assertThat(value(ClusterMetrics.READY)).isEqualTo(1);
    }

    @Test
    void aDeletedClustersGaugesGo() {
        HarperClusterStatus status = new HarperClusterStatus();
        status.setReadyMembers("3/3");
        status.setRoutesPendingRestart(List.of("demo-0"));
        metrics.record(cluster, status, Map.of());
        metrics.record(Resources.cluster("other"), status, Map.of());

        metrics.retainOnly(() -> Stream.of(Resources.cluster("other")));

        assertThat(registry.find(ClusterMetrics.ROUTES_PENDING_RESTART).tag("cluster", "demo").gauge()).isNull();
        assertThat(registry.scrape()).doesNotContain("cluster=\"demo\"").contains("cluster=\"other\"");
        metrics.record(cluster, status, Map.of());    // a cluster of the same name again: its gauges come back
        assertThat(value(ClusterMetrics.ROUTES_PENDING_RESTART)).isEqualTo(1);
    }

    @Test
    void aClusterDeletedWhileAnotherWasCreatedLosesItsGaugesAtTheNewOnesFirstRound() {
        HarperClusterStatus status = new HarperClusterStatus();
        status.setReadyMembers("3/3");
        metrics.record(cluster, status, Map.of());
        // demo is deleted and "other" created: as many clusters as gauged ones, nothing to drop yet
        metrics.retainOnly(() -> Stream.of(Resources.cluster("other")));
        assertThat(registry.find(ClusterMetrics.READY_MEMBERS).tag("cluster", "demo").gauge()).isNotNull();

        metrics.record(Resources.cluster("other"), status, Map.of());
        metrics.retainOnly(() -> Stream.of(Resources.cluster("other")));

        assertThat(registry.find(ClusterMetrics.READY_MEMBERS).tag("cluster", "demo").gauge()).isNull();
        assertThat(registry.find(ClusterMetrics.READY_MEMBERS).tag("cluster", "other").gauge()).isNotNull();
    }

    @Test
    void whileEveryGaugedClusterExistsTheCacheIsOnlyCounted() {
        HarperClusterStatus status = new HarperClusterStatus();
        status.setReadyMembers("3/3");
        metrics.record(cluster, status, Map.of());
        metrics.record(Resources.cluster("other"), status, Map.of());
        java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();

        metrics.retainOnly(() -> {
            streams.incrementAndGet();
            return Stream.of(cluster, Resources.cluster("other"), Resources.cluster("third"));
        });

        assertThat(streams).hasValue(1);
        assertThat(registry.scrape()).contains("cluster=\"demo\"").contains("cluster=\"other\"");
    }

    @Test
    void theNamesPrometheusSeesAreThoseItAnnounces() {
        HarperClusterStatus status = new HarperClusterStatus();
        status.setReadyMembers("0/1");
        metrics.record(cluster, status, Map.of());

        assertThat(ExportedMetrics.operator()).containsAll(ClusterMetrics.PROMETHEUS_NAMES);
    }

    @Test
    void aStatusWithoutACountLeavesTheMemberGaugesAlone() {
        assertThat(ClusterMetrics.readyOfAll("2/5")).containsExactly(2, 5);
        assertThat(ClusterMetrics.readyOfAll(null)).isNull();
        assertThat(ClusterMetrics.readyOfAll("two")).isNull();
        metrics.record(cluster, new HarperClusterStatus(), Map.of());
        assertThat(registry.find(ClusterMetrics.MEMBERS).gauge()).isNull();
        ClusterMetrics.NONE.record(cluster, new HarperClusterStatus(), Map.of());    // records nothing, throws nothing
    }

    private double value(String name) {
        return registry.get(name).tags("cluster", "demo").gauge().value();
    }
}
