package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.harperdb.operator.api.HarperCluster;
import java.util.List;

/** Test clusters, read from YAML as a user writes them, then given the uid the API server would. */
final class Clusters {
    static final String NAMESPACE = "ns";
    static final String UID = "5f0c1a8e-3b7d-4c2e-9a61-0d4b8e2f7c13";
    static final String OPERATOR_IMAGE = "ghcr.io/harperdb/harperdb-operator:0.1.0";

    /** The example: all a user needs to write for a three-member replicating cluster. */
    static final String DEMO = """
            apiVersion: harperdb.io/v1alpha1
            kind: HarperCluster
            metadata: { name: demo, namespace: ns }
            spec:
              instances: { replicas: 3, image: harperdb/harperdb:4.7.29, storage: { size: 10Gi } }
            """;

    private Clusters() {
    }

    static HarperCluster demo() {
        return read(DEMO);
    }

    /** Every option away from its default: named admin Secret, storage class, claims deleted on scale-down, no sidecar. */
    static HarperCluster custom() {
        HarperCluster cluster = read("""
                apiVersion: harperdb.io/v1alpha1
                kind: HarperCluster
                metadata: { name: orders, namespace: shop }
                spec:
                  adminSecret: orders-root
                  instances:
                    replicas: 5
                    image: harperdb/harperdb:4.7.30
                    storage: { size: 50Gi, storageClassName: fast-ssd, deleteClaimsOnScaleDown: true }
                    resources:
                      requests: { cpu: 1500m, memory: 4Gi }
                      limits: { memory: 4Gi }
                    sidecar: { enabled: false }
                  replication:
                    databases: [data, dev]
                """);
        return cluster;
    }

    static HarperCluster read(String yaml) {
        HarperCluster cluster = Serialization.unmarshal(yaml, HarperCluster.class);
        cluster.getMetadata().setUid(UID);
        return cluster;
    }

    static HarperCluster withResources(HarperCluster cluster, String cpuLimit, String memoryLimit) {
        cluster.getSpec().getInstances().setResources(new ResourceRequirementsBuilder()
                .addToLimits("cpu", new Quantity(cpuLimit))
                .addToLimits("memory", new Quantity(memoryLimit))
                .build());
        return cluster;
    }

    static HarperCluster withDatabases(HarperCluster cluster, String... databases) {
        cluster.getSpec().getReplication().setDatabases(List.of(databases));
        return cluster;
    }
}
