package io.harperdb.operator.reconciler;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which managed pod to delete next so that a changed pod template reaches every pod (the StatefulSet's
 * updateStrategy is OnDelete: it replaces only pods that are deleted). One pod at a time, highest ordinal
 * first, and only while the whole cluster is Ready: the previous pod is back and reconnected to all others.
 * Pure, so that the decision is tested without Kubernetes.
 */
public final class RollingRestart {

    /**
     * One pod of the StatefulSet as the informer shows it.
     *
     * @param templateHash its {@code harperdb.io/template-hash}; null when it has none
     * @param terminating  it has a deletionTimestamp
     * @param ready        its Ready condition is True
     */
    public record PodState(String name, int ordinal, String templateHash, boolean terminating, boolean ready) {
    }

    private RollingRestart() {
    }

    /**
     * The pod to delete now, if any. Asked only in a round whose cluster is Ready (every member reachable and
     * connected to all others) and not paused.
     *
     * @param desiredHash the StatefulSet's template hash; null (no StatefulSet yet) rolls nothing
     * @param replicas    the StatefulSet's replicas: pods 0..replicas-1 are expected
     */
    public static Optional<String> next(String desiredHash, int replicas, List<PodState> pods) {
        if (desiredHash == null) {
            return Optional.empty();
        }
        List<PodState> expected = pods.stream().filter(p -> p.ordinal() >= 0 && p.ordinal() < replicas).toList();
        // A pod missing, going or not ready yet means a restart is still in progress.
        boolean allUp = expected.size() == replicas && expected.stream().allMatch(p -> !p.terminating() && p.ready());
        if (!allUp) {
            return Optional.empty();
        }
        return expected.stream()
                .filter(p -> !Objects.equals(desiredHash, p.templateHash()))
                .max(Comparator.comparingInt(PodState::ordinal))
                .map(PodState::name);
    }
}
