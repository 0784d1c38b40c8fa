package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.harperdb.operator.api.CaBundleSecret;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNodeSpec;
import io.harperdb.operator.resources.MemberCertificates;
import io.harperdb.operator.resources.ResourceNames;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the operator trusts the certificate of a member's https Operations API: the system's CAs, the CA
 * bundle its HarperNode names ({@code spec.caBundleSecret}), or (verification off) any certificate with any
 * hostname. Pure: the Secret comes through a lookup. Holds only CA certificates (public), never a key; still,
 * messages name the Secret and key, never their content.
 *
 * @param caCertificates   the bundle's certificates when {@code mode} is CA_BUNDLE, else empty
 * @param unverifiedReason for a HarperNode whose certificate the operator does not verify, the reason of its
 *                         {@link Conditions#TLS_VERIFICATION_DISABLED} condition; null otherwise (and for managed pods,
 *                         whose TLS the cluster's own settings govern)
 * @param problem          why the member cannot be trusted at all (its bundle Secret is missing or unreadable): nothing
 *                         is sent to it; null when there is no such problem
 */
public record OperationsTrust(Mode mode, List<X509Certificate> caCertificates, String unverifiedReason, String message,
                              String problem) {

    public enum Mode { SYSTEM_CAS, CA_BUNDLE, ANY_CERTIFICATE }

    /** The HarperNode sets verifyTls: false. */
    static final String VERIFY_TLS_FALSE = "VerifyTlsFalse";
    /** The HarperNode sets no verifyTls and names no CA bundle, and its cluster's tls.verify is false. */
    static final String CLUSTER_VERIFY_FALSE = "ClusterTlsVerifyFalse";
    /** The Operations API is plain http: no certificate at all, and the credentials cross in clear. */
    static final String PLAIN_HTTP = "PlainHttp";
    /** The Ready reason of a HarperNode whose CA bundle Secret is missing or unreadable. */
    static final String CA_BUNDLE_UNAVAILABLE = "CaBundleUnavailable";

    public OperationsTrust {
        caCertificates = caCertificates == null ? List.of() : List.copyOf(caCertificates);
    }

    /** A managed pod's: verified with the system's CAs, or not at all; never reported here. */
    static OperationsTrust managed(boolean verify) {
        return new OperationsTrust(verify ? Mode.SYSTEM_CAS : Mode.ANY_CERTIFICATE, List.of(), null, null, null);
    }

    /**
     * A managed pod's https Operations API: its certificate checked against the CA bundle its pods trust (key ca.crt of
     * the cluster's {@code <cluster>-tls} Secret, what HarperDB's tls.certificateAuthority is), and its hostname against
     * the pod's DNS name, as every verifying client does. With the cluster's {@code tls.verify: false}, any certificate:
     * the credentials still travel encrypted. Without the Secret nothing is sent: a problem, never plain http.
     */
    static OperationsTrust managedHttps(HarperCluster cluster, boolean verify, Function<String, Optional<Secret>> secrets) {
        if (!verify) {
            return managed(false);
        }
        String secretName = ResourceNames.certificatesSecret(cluster);
        String where = "Secret " + secretName + " (key " + MemberCertificates.TRUSTED_CA_KEY + ") of HarperCluster "
                + cluster.getMetadata().getName() + ", whose CA verifies its pods' https Operations API,";
        Optional<Secret> secret = secrets.apply(secretName);
        if (secret.isEmpty()) {
            return broken(where + " not found");
        }
        String pem = MemberResolver.value(secret.get(), MemberCertificates.TRUSTED_CA_KEY);
        List<X509Certificate> certificates = pem == null ? List.of() : certificates(pem);
        if (certificates.isEmpty()) {
            return broken(where + " holds no PEM-encoded X.509 certificate");
        }
        return new OperationsTrust(Mode.CA_BUNDLE, certificates, null, null, null);
    }

    /**
     * A HarperNode's. Only an explicit {@code verifyTls: false}, or (nothing said on the node, no bundle) the cluster's
     * {@code tls.verify: false}, turns verification off; a named bundle means verification with it.
     */
    static OperationsTrust of(HarperCluster cluster, String resourceName, HarperNodeSpec spec, String operationsUrl,
                              Function<String, Optional<Secret>> secrets) {
        CaBundleSecret bundle = spec.getCaBundleSecret();
        boolean plainHttp = operationsUrl != null && operationsUrl.regionMatches(true, 0, "http://", 0, 7);
        if (Boolean.FALSE.equals(spec.getVerifyTls())) {
            return unverified(plainHttp ? PLAIN_HTTP : VERIFY_TLS_FALSE, plainHttp ? plainHttpMessage(operationsUrl)
                    : "spec.verifyTls is false: the operator accepts any certificate from " + operationsUrl
                    + " and checks no hostname, and its peers do not verify it (verify_tls false)"
                    + (bundle == null ? "" : "; spec.caBundleSecret is not used"));
        }
        if (bundle == null && spec.getVerifyTls() == null && !MemberResolver.clusterVerifiesTls(cluster)) {
            return unverified(plainHttp ? PLAIN_HTTP : CLUSTER_VERIFY_FALSE, plainHttp ? plainHttpMessage(operationsUrl)
                    : "spec.verifyTls is not set and HarperCluster " + cluster.getMetadata().getName()
                    + " has tls.verify false: the operator accepts any certificate from " + operationsUrl
                    + " and checks no hostname; name the CA in spec.caBundleSecret, or set spec.verifyTls to true");
        }
        Optional<String> plain = plainHttp ? Optional.of(plainHttpMessage(operationsUrl)) : Optional.empty();
        if (bundle == null) {
            return new OperationsTrust(Mode.SYSTEM_CAS, List.of(), plain.isPresent() ? PLAIN_HTTP : null, plain.orElse(null), null);
        }
        String key = bundle.getKey() == null || bundle.getKey().isBlank() ? CaBundleSecret.DEFAULT_KEY : bundle.getKey();
        String where = "Secret " + bundle.getName() + " (key " + key + ") named by spec.caBundleSecret of HarperNode " + resourceName;
        Optional<Secret> secret = secrets.apply(bundle.getName());
        if (secret.isEmpty()) {
            return broken("Secret " + bundle.getName() + " named by spec.caBundleSecret of HarperNode " + resourceName + " not found");
        }
        String pem = MemberResolver.value(secret.get(), key);
        if (pem == null) {
            return broken(where + " has no such key, or it is empty");
        }
        List<X509Certificate> certificates = certificates(pem);
        if (certificates.isEmpty()) {
            return broken(where + " holds no PEM-encoded X.509 certificate");
        }
        return new OperationsTrust(Mode.CA_BUNDLE, certificates, plain.isPresent() ? PLAIN_HTTP : null, plain.orElse(null), null);
    }

    /** The X.509 certificates of a PEM bundle; empty when it holds none or does not parse (the cause is not kept: no content in messages). */
    static List<X509Certificate> certificates(String pem) {
        try {
            Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return parsed.stream().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
        } catch (CertificateException | RuntimeException e) {
            return List.of();
        }
    }

    private static String plainHttpMessage(String operationsUrl) {
        return "operationsUrl " + operationsUrl + " is plain http: no certificate is verified and the operator sends the "
                + "node's credentials in clear; use https";
    }

    private static OperationsTrust unverified(String reason, String message) {
        return new OperationsTrust(Mode.ANY_CERTIFICATE, List.of(), reason, message, null);
    }

    private static OperationsTrust broken(String problem) {
        return new OperationsTrust(Mode.CA_BUNDLE, List.of(), null, null, problem);
    }
}
