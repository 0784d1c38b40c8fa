package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Kubernetes conditions as the API conventions want them: one per type, and
 * {@code lastTransitionTime} moves only when the status flips (so an unchanged cluster writes nothing).
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String RECONCILED = "Reconciled";
    public static final String DEGRADED = "Degraded";
    public static final String PAUSED = "Paused";
    /** True while a scale-down waits for the leaving pods to be removed from the mesh. */
    public static final String SCALING = "Scaling";
    /** True while nodes that no resource declares take part in the cluster (added by hand). */
    public static final String UNKNOWN_NODES = "UnknownNodes";
    /** False while managed members are asked to verify certificates they cannot verify (see {@link TlsVerification}). */
    public static final String TLS_VERIFICATION = "TlsVerification";
    /**
     * True while the operator accepts any certificate (or none: plain http) from a HarperNode's Operations API; on the
     * HarperNode (with why) and on its cluster (naming them). See {@link OperationsTrust}.
     */
    public static final String TLS_VERIFICATION_DISABLED = "TlsVerificationDisabled";

    private Conditions() {
    }

    public static Condition of(String type, boolean status, String reason, String message, Long observedGeneration) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status ? "True" : "False")
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(observedGeneration)
                .build();
    }

    /**
     * The new conditions, each keeping the previous {@code lastTransitionTime} when its status did not
     * change, and taking {@code now} when it did or is new.
     */
    public static List<Condition> merge(List<Condition> previous, List<Condition> desired, Instant now) {
        List<Condition> result = new ArrayList<>();
        for (Condition next : desired) {
            Condition old = previous == null ? null : previous.stream()
                    .filter(c -> Objects.equals(c.getType(), next.getType()))
                    .findFirst().orElse(null);
            String transition = old != null && Objects.equals(old.getStatus(), next.getStatus()) && old.getLastTransitionTime() != null
                    ? old.getLastTransitionTime()
                    : now.truncatedTo(ChronoUnit.SECONDS).toString();
            result.add(new ConditionBuilder(next).withLastTransitionTime(transition).build());
        }
        return result;
    }

    /** The condition of this type, or null. */
    public static Condition find(List<Condition> conditions, String type) {
        return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return conditions != null && conditions.stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /**
     * Adds a condition that the status builder does not know (such as {@link VolumeExpansion#CONDITION}) to a built
     * status, its lastTransitionTime kept from the previous status as {@link #merge} does. Null adds nothing.
     */
    static void append(io.harperdb.operator.api.HarperClusterStatus previous, io.harperdb.operator.api.HarperClusterStatus status,
                       Condition condition, Instant now) {
        if (condition == null) {
            return;
        }
        List<Condition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
        conditions.removeIf(c -> Objects.equals(c.getType(), condition.getType()));
        conditions.addAll(merge(previous == null ? null : previous.getConditions(), List.of(condition), now));
        status.setConditions(conditions);
    }
}
