package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.harperdb.operator.api.ClusterNetworkPolicy;
import io.harperdb.operator.api.HarperCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NetworkPolicy of a cluster's managed pods (spec.networkPolicy, opt-in): ingress to replication only from the
 * cluster's own pods (and the replicationPeers it lists), to the Operations API only from the operator's pods (and
 * the operationsClients it lists), both its https and its plain port; the HTTP port and the sidecar's port stay open to all (clients, Prometheus,
 * kubelet probes). Egress is not restricted: members reach HarperNodes outside the cluster.
 */
public final class DesiredNetworkPolicy {
    /** The label every namespace carries with its name (Kubernetes 1.21 and later). */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private DesiredNetworkPolicy() {
    }

    /** Whether the cluster gets one: it has managed pods, and its spec (else the operator's default) says so. */
    public static boolean wanted(HarperCluster cluster, OperatorNetwork operator) {
        if (cluster.getSpec() == null || cluster.getSpec().getInstances() == null) {
            return false;
        }
        ClusterNetworkPolicy spec = cluster.getSpec().getNetworkPolicy();
        return spec != null && spec.getEnabled() != null ? spec.getEnabled() : operator.defaultOn();
    }

    public static String name(HarperCluster cluster) {
        return ResourceNames.name(cluster);
    }

    public static NetworkPolicy build(HarperCluster cluster, OperatorNetwork operator) {
        ClusterNetworkPolicy spec = cluster.getSpec().getNetworkPolicy() == null ? new ClusterNetworkPolicy()
                : cluster.getSpec().getNetworkPolicy();
        List<NetworkPolicyPeer> replicationFrom = new ArrayList<>();
        replicationFrom.add(new NetworkPolicyPeerBuilder().withPodSelector(selector(ResourceNames.selectorLabels(cluster))).build());
        replicationFrom.addAll(orEmpty(spec.getReplicationPeers()));
        List<NetworkPolicyPeer> operationsFrom = new ArrayList<>();
        operationsFrom.add(operatorPods(operator));
        operationsFrom.addAll(orEmpty(spec.getOperationsClients()));
        List<NetworkPolicyIngressRule> ingress = List.of(
                rule(replicationFrom, HarperPorts.REPLICATION),
                rule(operationsFrom, HarperPorts.OPERATIONS, HarperPorts.OPERATIONS_SECURE),
                new NetworkPolicyIngressRuleBuilder().withPorts(port(HarperPorts.HTTP), port(HarperPorts.SIDECAR)).build());
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(name(cluster))
                .withNamespace(ResourceNames.namespace(cluster))
                .withLabels(ResourceNames.labels(cluster))
                .withOwnerReferences(OwnerReferences.controller(cluster))
                .endMetadata()
                .withNewSpec()
                .withPodSelector(selector(ResourceNames.selectorLabels(cluster)))
                .withPolicyTypes("Ingress")
                .withIngress(ingress)
                .endSpec()
                .build();
    }

    /** The operator's pods: in its namespace when known, else in any namespace (outside a cluster it is not known). */
    static NetworkPolicyPeer operatorPods(OperatorNetwork operator) {
        LabelSelector namespaces = operator.namespace() == null ? new LabelSelector()
                : selector(Map.of(NAMESPACE_NAME_LABEL, operator.namespace()));
        return new NetworkPolicyPeerBuilder().withNamespaceSelector(namespaces).withPodSelector(selector(operator.podLabels())).build();
    }

    private static NetworkPolicyIngressRule rule(List<NetworkPolicyPeer> from, int... ports) {
        return new NetworkPolicyIngressRuleBuilder().withFrom(from)
                .withPorts(java.util.Arrays.stream(ports).mapToObj(DesiredNetworkPolicy::port).toList()).build();
    }

    private static NetworkPolicyPort port(int port) {
        return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build();
    }

    private static LabelSelector selector(Map<String, String> labels) {
        return new LabelSelectorBuilder().withMatchLabels(new java.util.TreeMap<>(labels)).build();
    }

    private static List<NetworkPolicyPeer> orEmpty(List<NetworkPolicyPeer> peers) {
        return peers == null ? List.of() : peers;
    }
}
