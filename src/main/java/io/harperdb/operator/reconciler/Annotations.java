package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The annotations the operator reads. */
public final class Annotations {
    /** "true" stops every write to HarperDB and Kubernetes but the status (phase Paused). */
    public static final String PAUSE = "harperdb.io/pause-reconciliation";

    /**
     * On a HarperNode: how long after its deletion the operator waits for a peer to confirm that it has left
     * the cluster before it releases the finalizer anyway (a duration such as "10m"; default
     * {@link HarperNodeReconciler#REMOVAL_DEADLINE}).
     */
    public static final String REMOVAL_TIMEOUT = "harperdb.io/removal-timeout";

    private Annotations() {
    }

    public static boolean isPaused(HasMetadata resource) {
        var annotations = resource.getMetadata().getAnnotations();
        return annotations != null && "true".equalsIgnoreCase(annotations.get(PAUSE));
    }
}
