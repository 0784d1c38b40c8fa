package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.harperdb.operator.api.HarperApi;
import io.harperdb.operator.api.HarperCluster;

/** Owner references to a HarperCluster, so that its resources go when it goes. */
public final class OwnerReferences {
    public static final String CLUSTER_KIND = "HarperCluster";

    private OwnerReferences() {
    }

    /**
     * The controller reference: the cluster controls the resource (one controller per resource), and
     * blockOwnerDeletion keeps the cluster until the garbage collector has deleted it in a foreground deletion.
     */
    public static OwnerReference controller(HarperCluster cluster) {
        if (cluster.getMetadata().getUid() == null) {
            throw new IllegalArgumentException("HarperCluster " + cluster.getMetadata().getName()
                    + " has no uid: an owner reference needs the cluster as read from the API server");
        }
        return new OwnerReferenceBuilder()
                .withApiVersion(HarperApi.API_VERSION)
                .withKind(CLUSTER_KIND)
                .withName(cluster.getMetadata().getName())
                .withUid(cluster.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
