package io.harperdb.operator.reconciler;

import io.harperdb.replication.plan.PlannedOperation;
import java.util.Locale;

/**
 * What the operator adds to an operation a member refused for a certificate while verify_tls was true. Managed
 * members have certificates from their cluster's CA (see ManagedResources#ensureCertificates), so between them
 * verification works; a member with HarperDB's own self-signed certificates (an external instance, say) is refused:
 * on 4.7.29 add_node answers 500 "self-signed certificate in certificate chain", and no link forms.
 */
final class TlsVerification {
    /** What to do, appended to the message of an operation refused for a certificate. */
    static final String ADVICE = "every member needs a certificate from a CA its peers trust: managed members have one from the "
            + "cluster's CA (Secret <cluster>-ca); give an external member one signed by that CA, or set its HarperNode's "
            + "spec.verifyTls (or the HarperCluster's spec.tls.verify) to false";

    private TlsVerification() {
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
