package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.harperdb.operator.api.HarperCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DesiredDisruptionBudgetTest {

    @ParameterizedTest(name = "{0} replicas: {1} may be down")
    @CsvSource({"0, 1", "1, 1", "2, 1", "3, 1", "4, 1", "5, 2", "6, 2", "7, 3"})
    void drainsKeepAMajorityUpFromThreeMembers(int replicas, int maxUnavailable) {
        HarperCluster cluster = Clusters.demo();
        cluster.getSpec().getInstances().setReplicas(replicas);

        PodDisruptionBudget pdb = DesiredDisruptionBudget.build(cluster);

        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(maxUnavailable));
        assertThat(pdb.getSpec().getMinAvailable()).isNull();
        if (replicas >= 3) {
            assertThat(replicas - maxUnavailable).isGreaterThanOrEqualTo(replicas / 2 + 1);
        } else {
            // A majority of 1 or 2 is every member: such a budget would block every node drain.
            assertThat(maxUnavailable).isEqualTo(1);
        }
    }

    @Test
    void selectsTheClustersPodsAndIsOwnedByTheCluster() {
        PodDisruptionBudget pdb = DesiredDisruptionBudget.build(Clusters.demo());

        assertThat(pdb.getApiVersion()).isEqualTo("policy/v1");
        assertThat(pdb.getMetadata().getName()).isEqualTo("demo");
        assertThat(pdb.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(ResourceNames.selectorLabels(Clusters.demo()));
        assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
        assertThat(pdb.getMetadata().getOwnerReferences()).singleElement()
                .isEqualTo(OwnerReferences.controller(Clusters.demo()));
    }
}
