package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.harperdb.operator.api.HarperCluster;

/**
 * The PodDisruptionBudget of a cluster's managed instances: voluntary disruptions (node drains) keep a
 * majority of the members up.
 */
public final class DesiredDisruptionBudget {
    /**
     * A member that is not ready counts as down already; evicting it costs nothing, and keeping it would
     * let one broken pod block every drain of its node.
     */
    static final String ALWAYS_ALLOW = "AlwaysAllow";

    private DesiredDisruptionBudget() {
    }

    public static PodDisruptionBudget build(HarperCluster cluster) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(ResourceNames.podDisruptionBudget(cluster))
                .withNamespace(ResourceNames.namespace(cluster))
                .withLabels(ResourceNames.labels(cluster))
                .withOwnerReferences(OwnerReferences.controller(cluster))
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(maxUnavailable(ManagedMembers.replicas(cluster))))
                .withNewSelector().withMatchLabels(ResourceNames.selectorLabels(cluster)).endSelector()
                .withUnhealthyPodEvictionPolicy(ALWAYS_ALLOW)
                .endSpec()
                .build();
    }

    /**
     * How many members a drain may take down at once: as many as leave a majority (floor(n/2)+1) up, so
     * 1 of 3 or 4, 2 of 5. With 1 or 2 members a majority would be all of them, and such a budget
     * would block every node drain forever; HarperDB needs no quorum (every member takes reads and writes
     * alone), so there 1 may go.
     */
    static int maxUnavailable(int replicas) {
        int majority = replicas / 2 + 1;
        return Math.max(1, replicas - majority);
    }
}
