package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The status of a cluster whose managed resources cannot be made, from its spec and the operator's
 * configuration (an unusable OPERATOR_IMAGE, say): phase Failed, Ready and Reconciled False with reason
 * {@value #REASON} and the problem as message. What the previous status said of the members stays.
 */
final class ConfigurationError {
    static final String REASON = "ConfigurationError";

    private ConfigurationError() {
    }

    static HarperClusterStatus status(HarperClusterStatus previous, String problem, long generation, Instant now) {
        HarperClusterStatus status = previous == null ? new HarperClusterStatus()
                : StatusComparison.MAPPER.convertValue(previous, HarperClusterStatus.class);
        List<Condition> desired = new ArrayList<>();
        desired.add(Conditions.of(Conditions.READY, false, REASON, "the managed instances cannot be run: see condition Reconciled", generation));
        desired.add(Conditions.of(Conditions.RECONCILED, false, REASON, problem, generation));
        desired.add(Conditions.of(Conditions.PAUSED, false, "ReconciliationActive", "", generation));
        Set<String> replaced = Set.of(Conditions.READY, Conditions.RECONCILED, Conditions.PAUSED);
        List<Condition> others = previous == null || previous.getConditions() == null ? List.of()
                : previous.getConditions().stream().filter(c -> !replaced.contains(c.getType())).toList();
        List<Condition> conditions = new ArrayList<>(Conditions.merge(previous == null ? null : previous.getConditions(), desired, now));
        conditions.addAll(others);
        status.setConditions(conditions);
        status.setPhase(Phase.FAILED);
        status.setObservedGeneration(generation);
        return status;
    }

    /** The status already reports this problem (so its Warning Event was recorded). */
    static boolean reported(HarperClusterStatus status, String problem) {
        return status != null && status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> Conditions.RECONCILED.equals(c.getType()) && REASON.equals(c.getReason())
                        && Objects.equals(problem, c.getMessage()));
    }
}
