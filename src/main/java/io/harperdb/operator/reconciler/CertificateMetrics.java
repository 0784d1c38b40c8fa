package io.harperdb.operator.reconciler;

import io.harperdb.operator.api.HarperCluster;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gauge {@value #PROMETHEUS_NAME}: when each certificate the operator manages expires (Unix seconds), labelled
 * namespace, cluster and certificate ({@code ca}, or the pod's name). An alert on {@code gauge - time() < ...} catches
 * a renewal that does not happen. A pod's gauge goes when its certificate is dropped.
 */
public final class CertificateMetrics {
    static final String NAME = "harperdb.operator.certificate.expiry.timestamp";
    static final String PROMETHEUS_NAME = "harperdb_operator_certificate_expiry_timestamp_seconds";
    static final String CA = "ca";
    /** Records nothing (tests that build a reconciler without a registry). */
    public static final CertificateMetrics NONE = new CertificateMetrics(null);

    private final MeterRegistry registry;
    /** By cluster (namespace/name), by certificate: the value each gauge reads, and the gauge. */
    private final Map<String, Map<String, Held>> held = new ConcurrentHashMap<>();

    private record Held(AtomicLong expiry, Gauge gauge) {
    }

    public CertificateMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(HarperCluster cluster, ManagedResources.Certificates certificates) {
        if (registry == null) {
            return;
        }
        String namespace = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        Map<String, Instant> now = new HashMap<>(certificates.expiries());
        now.put(CA, certificates.caExpiry());
        Map<String, Held> gauges = held.computeIfAbsent(namespace + "/" + name, k -> new ConcurrentHashMap<>());
        for (String gone : Set.copyOf(gauges.keySet())) {
            if (!now.containsKey(gone)) {
                registry.remove(gauges.remove(gone).gauge());
            }
        }
        now.forEach((certificate, expiry) -> gauges.computeIfAbsent(certificate, c -> {
            AtomicLong value = new AtomicLong();
            Gauge gauge = Gauge.builder(NAME, value, AtomicLong::doubleValue)
                    .baseUnit("seconds")
                    .description("When a certificate the operator manages expires (Unix time)")
                    .tags("namespace", namespace, "cluster", name, "certificate", c)
                    .register(registry);
            return new Held(value, gauge);
        }).expiry().set(expiry.getEpochSecond()));
    }
}
