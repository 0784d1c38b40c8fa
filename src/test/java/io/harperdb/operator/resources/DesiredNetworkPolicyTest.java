package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.harperdb.operator.api.ClusterNetworkPolicy;
import io.harperdb.operator.api.HarperCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredNetworkPolicyTest {
    private static final OperatorNetwork OPERATOR = new OperatorNetwork("harperdb-system",
            Map.of("app.kubernetes.io/name", "harperdb-operator", "app.kubernetes.io/instance", "ops"), false);

    @Test
    void onlyTheClustersPodsReachReplicationAndOnlyTheOperatorReachesTheOperationsApi() {
        NetworkPolicy policy = DesiredNetworkPolicy.build(Clusters.demo(), OPERATOR);

        assertThat(policy.getApiVersion()).isEqualTo("networking.k8s.io/v1");
        assertThat(policy.getMetadata().getName()).isEqualTo("demo");
        assertThat(policy.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(policy.getMetadata().getLabels()).containsEntry(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGED_BY);
        assertThat(policy.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo(Clusters.UID);
            assertThat(o.getController()).isTrue();
        });
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(ResourceNames.selectorLabels(Clusters.demo()));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getEgress()).isEmpty();

        NetworkPolicyIngressRule replication = rule(policy, HarperPorts.REPLICATION);
        assertThat(replication.getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(ResourceNames.selectorLabels(Clusters.demo()));
            assertThat(peer.getNamespaceSelector()).as("the policy's own namespace").isNull();
        });
        NetworkPolicyIngressRule operations = rule(policy, HarperPorts.OPERATIONS);
        // both ports of the Operations API: the https one the operator calls, the plain one
        assertThat(operations.getPorts()).extracting(p -> p.getPort().getIntVal())
                .containsExactly(HarperPorts.OPERATIONS, HarperPorts.OPERATIONS_SECURE);
        assertThat(operations.getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(OPERATOR.podLabels());
            assertThat(peer.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "harperdb-system"));
        });
        // clients (HTTP) and the sidecar's probes and metrics are not restricted
        NetworkPolicyIngressRule open = policy.getSpec().getIngress().get(2);
        assertThat(open.getFrom()).isEmpty();
        assertThat(open.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(HarperPorts.HTTP, HarperPorts.SIDECAR);
        assertThat(policy.getSpec().getIngress()).hasSize(3);
        assertThat(policy.getSpec().getIngress()).flatExtracting(NetworkPolicyIngressRule::getPorts)
                .allMatch(p -> "TCP".equals(p.getProtocol()));
    }

    @Test
    void theChosenClientsAndPeersAreLetInToo() {
        HarperCluster cluster = Clusters.demo();
        ClusterNetworkPolicy spec = new ClusterNetworkPolicy();
        spec.setEnabled(true);
        NetworkPolicyPeer backup = new NetworkPolicyPeerBuilder().withNewPodSelector().addToMatchLabels("app", "backup").endPodSelector().build();
        NetworkPolicyPeer east = new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("203.0.113.7/32").endIpBlock().build();
        spec.setOperationsClients(List.of(backup));
        spec.setReplicationPeers(List.of(east));
        cluster.getSpec().setNetworkPolicy(spec);

        NetworkPolicy policy = DesiredNetworkPolicy.build(cluster, OPERATOR);

        assertThat(rule(policy, HarperPorts.OPERATIONS).getFrom()).hasSize(2).endsWith(backup);
        assertThat(rule(policy, HarperPorts.REPLICATION).getFrom()).hasSize(2).endsWith(east);
    }

    @Test
    void anOperatorOutsideAClusterIsMatchedByItsLabelsInAnyNamespace() {
        OperatorNetwork local = OperatorNetwork.fromEnvironment(Map.of());
        NetworkPolicyPeer peer = DesiredNetworkPolicy.operatorPods(local);

        assertThat(peer.getNamespaceSelector().getMatchLabels()).isEmpty();
        // written as {} (every namespace): left out, it would mean the policy's namespace only
        assertThat(new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asJson(peer)).contains("\"namespaceSelector\":{}");
        assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/name", "harperdb-operator"));
    }

    @Test
    void wantedOnlyForManagedPodsWhenTheSpecOrElseTheOperatorsDefaultSaysSo() {
        OperatorNetwork on = new OperatorNetwork(null, OPERATOR.podLabels(), true);
        HarperCluster cluster = Clusters.demo();
        assertThat(DesiredNetworkPolicy.wanted(cluster, OPERATOR)).isFalse();
        assertThat(DesiredNetworkPolicy.wanted(cluster, on)).isTrue();
        ClusterNetworkPolicy spec = new ClusterNetworkPolicy();
        cluster.getSpec().setNetworkPolicy(spec);
        spec.setEnabled(false);
        assertThat(DesiredNetworkPolicy.wanted(cluster, on)).isFalse();
        spec.setEnabled(true);
        assertThat(DesiredNetworkPolicy.wanted(cluster, OPERATOR)).isTrue();
        cluster.getSpec().setInstances(null);
        assertThat(DesiredNetworkPolicy.wanted(cluster, on)).as("no pods of its own").isFalse();
    }

    @Test
    void theOperatorsSettingsComeFromTheEnvironment() {
        OperatorNetwork network = OperatorNetwork.fromEnvironment(Map.of("OPERATOR_NAMESPACE", "ops",
                "OPERATOR_POD_LABELS", "app.kubernetes.io/name=harperdb-operator, app.kubernetes.io/instance=r1",
                "NETWORK_POLICY_DEFAULT", "true"));
        assertThat(network).isEqualTo(new OperatorNetwork("ops",
                Map.of("app.kubernetes.io/name", "harperdb-operator", "app.kubernetes.io/instance", "r1"), true));
        assertThat(OperatorNetwork.fromEnvironment(Map.of("LEADER_ELECTION_LEASE_NAMESPACE", "lease-ns")).namespace()).isEqualTo("lease-ns");
        assertThatThrownBy(() -> OperatorNetwork.fromEnvironment(Map.of("OPERATOR_POD_LABELS", "nolabel")))
                .hasMessageContaining("not key=value");
        assertThatThrownBy(() -> new OperatorNetwork(null, Map.of(), false)).hasMessageContaining("every pod would match");
    }

    private static NetworkPolicyIngressRule rule(NetworkPolicy policy, int port) {
        return policy.getSpec().getIngress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port)).findFirst().orElseThrow();
    }
}
