package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.replication.plan.PlannedOperation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the operator says about verify_tls while it does not manage certificates. HarperDB's instances
 * serve their own self-signed certificates, and add_node with verify_tls true fails against them (on
 * 4.7.29: 500 "self-signed certificate in certificate chain"), so no link forms. Verification needs every
 * member to have a certificate from a common CA.
 */
final class TlsVerification {
    /** Reason of the {@link Conditions#TLS_VERIFICATION} condition of a managed cluster that verifies TLS. */
    static final String SELF_SIGNED = "SelfSignedCertificates";
    /** What to do, appended to the message of an operation refused for a certificate. */
    static final String ADVICE = "HarperDB's own certificates are self-signed and cannot be verified: set the HarperCluster's "
            + "spec.tls.verify (or the HarperNode's spec.verifyTls) to false, or give every member a certificate from a common CA";

    private TlsVerification() {
    }

    /**
     * False, with reason {@link #SELF_SIGNED}, for a cluster whose managed instances are asked to verify each
     * other's certificates: they only have HarperDB's self-signed ones. Empty otherwise (no such condition).
     */
    static Optional<Condition> condition(HarperCluster cluster, long generation) {
        boolean managed = cluster.getSpec() != null && cluster.getSpec().getInstances() != null;
        if (!managed || !MemberResolver.clusterVerifiesTls(cluster)) {
            return Optional.empty();
        }
        return Optional.of(Conditions.of(Conditions.TLS_VERIFICATION, false, SELF_SIGNED,
                "spec.tls.verify is true, but the managed instances serve HarperDB's own self-signed certificates, which no member "
                        + "can verify: add_node fails (\"self-signed certificate in certificate chain\") and the members cannot mesh. "
                        + "Set spec.tls.verify to false; verification needs certificates from a common CA, which the operator "
                        + "does not manage yet", generation));
    }

    /** The status with the cluster's {@link Conditions#TLS_VERIFICATION} condition added, when it has one. */
    static HarperClusterStatus withCondition(HarperClusterStatus previous, HarperClusterStatus status, HarperCluster cluster,
                                             long generation, Instant now) {
        Optional<Condition> condition = condition(cluster, generation);
        if (condition.isEmpty()) {
            return status;
        }
        List<Condition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
        conditions.addAll(Conditions.merge(previous == null ? null : previous.getConditions(), List.of(condition.get()), now));
        status.setConditions(conditions);
        return status;
    }

    /**
     * The message of a failed operation, with {@link #ADVICE} when it sent verify_tls true and the member
     * refused a certificate. Other messages are returned as they are.
     */
    static String explain(PlannedOperation operation, String message) {
        if (message == null || !operation.verifiesTls() || !message.toLowerCase(Locale.ROOT).contains("certificate")) {
            return message;
        }
        return message + " (" + ADVICE + ")";
    }

}
