package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The annotations the operator reads. */
public final class Annotations {
    /** "true" stops every write to HarperDB and Kubernetes but the status (phase Paused). */
    public static final String PAUSE = "harperdb.io/pause-reconciliation";

    private Annotations() {
    }

    public static boolean isPaused(HasMetadata resource) {
        var annotations = resource.getMetadata().getAnnotations();
        return annotations != null && "true".equalsIgnoreCase(annotations.get(PAUSE));
    }
}
