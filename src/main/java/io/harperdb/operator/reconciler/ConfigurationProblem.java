package io.harperdb.operator.reconciler;

/**
 * Why a managed cluster's round stops before it touches its instances: the reason of its Ready and Reconciled
 * conditions (and of the Warning Event that says it once) and the message, which says what to change.
 * Messages never hold a Secret's content.
 */
public record ConfigurationProblem(String reason, String message) {

    /** A problem of the spec or of the operator's configuration: reason {@value ConfigurationError#REASON}. */
    static ConfigurationProblem of(String message) {
        return new ConfigurationProblem(ConfigurationError.REASON, message);
    }
}
