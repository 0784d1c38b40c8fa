package io.harperdb.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.parallel.ResourceLock;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.harperdb.operator.resources.OperatorNetwork;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's networkPolicy values: off by default (no NetworkPolicy, clusters get none unless their spec asks);
 * on, a NetworkPolicy for the operator's pods and the default for clusters. Either way the operator is told who its
 * pods are, so that a cluster's NetworkPolicy lets them reach the Operations API.
 */
@ResourceLock("helm")    // helm-java's native library, one caller at a time
class NetworkPolicyChartTest {

    @Test
    void offByDefaultButTheOperatorKnowsItsPods() {
        List<HasMetadata> documents = OperatorChart.render(Map.of());
        Deployment deployment = OperatorChart.single(documents, Deployment.class);

        assertThat(OperatorChart.ofKind(documents, NetworkPolicy.class)).isEmpty();
        OperatorNetwork network = OperatorNetwork.fromEnvironment(HelmChartTest.environment(deployment));
        assertThat(network.defaultOn()).isFalse();
        assertThat(network.namespace()).isEqualTo(OperatorChart.NAMESPACE);
        // the labels the cluster's NetworkPolicy selects are the operator pods' own
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(network.podLabels());
        assertThat(network.podLabels()).containsKeys("app.kubernetes.io/name", "app.kubernetes.io/instance");
    }

    @Test
    void enabledItRendersThePolicyOfTheOperatorPodsAndTurnsClustersOn() {
        List<HasMetadata> documents = OperatorChart.render(Map.of("networkPolicy.enabled", "true",
                "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name", "monitoring"));
        Deployment deployment = OperatorChart.single(documents, Deployment.class);

        assertThat(OperatorNetwork.fromEnvironment(HelmChartTest.environment(deployment)).defaultOn()).isTrue();
        NetworkPolicy policy = OperatorChart.single(documents, NetworkPolicy.class);
        assertThat(policy.getMetadata().getNamespace()).isEqualTo(OperatorChart.NAMESPACE);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        NetworkPolicyIngressRule rule = policy.getSpec().getIngress().get(0);
        assertThat(policy.getSpec().getIngress()).hasSize(1);
        assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
        assertThat(rule.getFrom()).singleElement()
                .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("name", "monitoring"));
    }
}
