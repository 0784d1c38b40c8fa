package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterSpec;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.HarperNodeSpec;
import io.harperdb.operator.api.SecretReference;
import java.util.Map;

/** Test resources, built as a user would write them. */
final class Resources {
    static final String NAMESPACE = "test";

    private Resources() {
    }

    static HarperCluster cluster(String name) {
        HarperCluster cluster = new HarperCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        HarperClusterSpec spec = new HarperClusterSpec();
        spec.getTls().setVerify(false);
        spec.setPollInterval("2s");
        cluster.setSpec(spec);
        return cluster;
    }

    static HarperNode node(String name, String cluster, String hostname, String operationsUrl, String secret) {
        HarperNode node = new HarperNode();
        node.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        HarperNodeSpec spec = new HarperNodeSpec();
        spec.setClusterRef(cluster);
        spec.setHostname(hostname);
        spec.setOperationsUrl(operationsUrl);
        spec.setVerifyTls(false);
        SecretReference ref = new SecretReference();
        ref.setName(secret);
        spec.setAuthorizationSecret(ref);
        node.setSpec(spec);
        return node;
    }

    /** A node declared by its replication url only, as HarperDB's seed docs allow (no hostname). */
    static HarperNode urlNode(String name, String cluster, String url, String operationsUrl, String secret) {
        HarperNode node = node(name, cluster, null, operationsUrl, secret);
        node.getSpec().setUrl(url);
        return node;
    }

    static Secret secret(String name, String username, String password) {
        return new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build())
                .withStringData(Map.of("username", username, "password", password))
                .build();
    }
}
