package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.replication.client.Outcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Gauges of what each cluster's status says, labelled namespace and cluster, for alerts that need no kube-state-metrics
 * custom resource configuration: members and ready members ({@code readyMembers}), members whose routes wait for a
 * restart ({@code routesPendingRestart}), members that refused the credentials of their Secret (401 or 403 at the
 * last poll), and whether the Ready condition is True. Set on every round from the status it built; a deleted
 * cluster's gauges go at the next round of another cluster.
 */
public final class ClusterMetrics {
    static final String MEMBERS = "harperdb.operator.cluster.members";
    static final String READY_MEMBERS = "harperdb.operator.cluster.ready.members";
    static final String ROUTES_PENDING_RESTART = "harperdb.operator.cluster.routes.pending.restart";
    static final String CREDENTIALS_REFUSED = "harperdb.operator.cluster.credentials.refused";
    static final String READY = "harperdb.operator.cluster.ready";
    /** The names Prometheus sees (dots become underscores); the chart's alert rules use these. */
    public static final List<String> PROMETHEUS_NAMES = List.of("harperdb_operator_cluster_members",
            "harperdb_operator_cluster_ready_members", "harperdb_operator_cluster_routes_pending_restart",
            "harperdb_operator_cluster_credentials_refused", "harperdb_operator_cluster_ready");
    /** Records nothing (tests that build a reconciler without a registry). */
    public static final ClusterMetrics NONE = new ClusterMetrics(null);

    private final MeterRegistry registry;
    /** By namespace/cluster, then by gauge name, the value the gauge reads. */
    private final Map<String, Map<String, AtomicLong>> values = new ConcurrentHashMap<>();

    public ClusterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(HarperCluster cluster, HarperClusterStatus status, Map<String, MemberObservation> observations) {
        if (registry == null || status == null) {
            return;
        }
        long[] readyOfAll = readyOfAll(status.getReadyMembers());
        if (readyOfAll != null) {
            set(cluster, READY_MEMBERS, readyOfAll[0]);
            set(cluster, MEMBERS, readyOfAll[1]);
        }
        set(cluster, ROUTES_PENDING_RESTART, status.getRoutesPendingRestart() == null ? 0 : status.getRoutesPendingRestart().size());
        set(cluster, CREDENTIALS_REFUSED, observations == null ? 0 : observations.values().stream()
                .filter(o -> o.failure() == Outcome.UNAUTHORIZED || o.failure() == Outcome.FORBIDDEN).count());
        set(cluster, READY, isReady(status.getConditions()) ? 1 : 0);
    }

    /**
     * Drops the gauges of clusters that no longer exist (namespace/name), so that a deleted cluster's series go stale
     * instead of alerting on. Called each round with the clusters of the informer cache; a deletion is noticed at the
     * next round of any remaining cluster, or, when a new cluster took its place in the count, at that cluster's first
     * round. Only counts the cache unless gauges outnumber the clusters: walking every cluster each round cost more
     * than the rest of an idle round at 1,000 clusters (BENCHMARKS.md).
     */
    void retainOnly(Supplier<Stream<HarperCluster>> existing) {
        if (registry == null || values.isEmpty() || values.size() <= existing.get().count()) {
            return;
        }
        Set<String> clusters = existing.get().map(ClusterMetrics::key).collect(Collectors.toSet());
        for (String cluster : Set.copyOf(values.keySet())) {
            if (!clusters.contains(cluster)) {
                Map<String, AtomicLong> gone = values.remove(cluster);
                String[] namespaceAndName = cluster.split("/", 2);
                for (String gauge : gone.keySet()) {
                    registry.find(gauge).tags("namespace", namespaceAndName[0], "cluster", namespaceAndName[1])
                            .meters().forEach(registry::remove);
                }
            }
        }
    }

    private static String key(HarperCluster cluster) {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }

    /** "2/3" as {2, 3}; null when status has no such count (a round that stopped before counting). */
    static long[] readyOfAll(String readyMembers) {
        if (readyMembers == null) {
            return null;
        }
        String[] parts = readyMembers.split("/");
        try {
            return parts.length == 2 ? new long[]{Long.parseLong(parts[0]), Long.parseLong(parts[1])} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isReady(List<Condition> conditions) {
        return conditions != null && conditions.stream()
                .anyMatch(c -> Conditions.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void set(HarperCluster cluster, String name, long value) {
        String namespace = cluster.getMetadata().getNamespace();
        String clusterName = cluster.getMetadata().getName();
        values.computeIfAbsent(key(cluster), k -> new ConcurrentHashMap<>()).computeIfAbsent(name, k -> {
            AtomicLong held = new AtomicLong();
            Gauge.builder(name, held, AtomicLong::doubleValue)
                    .tags("namespace", namespace, "cluster", clusterName)
                    .register(registry);
            return held;
        }).set(value);
    }
}
