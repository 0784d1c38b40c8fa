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
 * configuration (an unusable OPERATOR_IMAGE, say; reason {@value #REASON}), or whose admin Secret is missing
 * while instances may hold its password (reason {@value #ADMIN_SECRET_MISSING}): phase Failed, Ready and
 * Reconciled False with the problem's reason and its message. What the previous status said of the members stays.
 */
final class ConfigurationError {
    static final String REASON = "ConfigurationError";
    static final String ADMIN_SECRET_MISSING = "AdminSecretMissing";
    /** The CA Secret is gone while the members' certificates it signed remain (see ManagedResources#ensureCertificates). */
    static final String TLS_CA_MISSING = "CAMissing";
    /** The CA Secret holds no usable CA. */
    static final String TLS_CA_INVALID = "CAInvalid";
    /** The Secret spec.tls.caSecret names does not exist. */
    static final String CA_SECRET_MISSING = "CASecretMissing";
    /** The Secret spec.tls.caSecret names holds no usable CA. */
    static final String CA_SECRET_INVALID = "CASecretInvalid";
    /** spec.tls.issuerRef: cert-manager has not issued the running members' certificates yet (a wait, phase Pending). */
    static final String CERTIFICATES_PENDING = "CertificatesPending";
    /** spec.tls.issuerRef, and the API server has no cert-manager Certificates. */
    static final String CERT_MANAGER_MISSING = "CertManagerMissing";

    private ConfigurationError() {
    }

    static HarperClusterStatus status(HarperClusterStatus previous, ConfigurationProblem problem, long generation, Instant now) {
        HarperClusterStatus status = previous == null ? new HarperClusterStatus()
                : StatusComparison.MAPPER.convertValue(previous, HarperClusterStatus.class);
        List<Condition> desired = new ArrayList<>();
        desired.add(Conditions.of(Conditions.READY, false, problem.reason(), "the managed instances cannot be run: see condition Reconciled",
                generation));
        desired.add(Conditions.of(Conditions.RECONCILED, false, problem.reason(), problem.message(), generation));
        desired.add(Conditions.of(Conditions.PAUSED, false, "ReconciliationActive", "", generation));
        Set<String> replaced = Set.of(Conditions.READY, Conditions.RECONCILED, Conditions.PAUSED);
        List<Condition> others = previous == null || previous.getConditions() == null ? List.of()
                : previous.getConditions().stream().filter(c -> !replaced.contains(c.getType())).toList();
        List<Condition> conditions = new ArrayList<>(Conditions.merge(previous == null ? null : previous.getConditions(), desired, now));
        conditions.addAll(others);
        status.setConditions(conditions);
        // waiting for cert-manager is no failure
        status.setPhase(CERTIFICATES_PENDING.equals(problem.reason()) ? Phase.PENDING : Phase.FAILED);
        status.setObservedGeneration(generation);
        return status;
    }

    /** The status already reports this problem (so its Warning Event was recorded). */
    static boolean reported(HarperClusterStatus status, ConfigurationProblem problem) {
        return status != null && status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> Conditions.RECONCILED.equals(c.getType()) && Objects.equals(problem.reason(), c.getReason())
                        && Objects.equals(problem.message(), c.getMessage()));
    }
}
