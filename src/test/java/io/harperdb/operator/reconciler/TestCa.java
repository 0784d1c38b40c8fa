package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/** A CA made for a test (okhttp-tls), and server certificates it signs. */
final class TestCa {
    final HeldCertificate ca;

    TestCa(String name) {
        ca = new HeldCertificate.Builder().certificateAuthority(0).commonName(name).build();
    }

    /** The CA certificate, PEM-encoded, as a user puts it in a Secret. */
    String pem() {
        return ca.certificatePem();
    }

    /** A Secret holding the CA certificate under {@code key}. */
    Secret secret(String name, String key) {
        return new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(Resources.NAMESPACE).build())
                .withStringData(Map.of(key, pem())).build();
    }

    /** The TLS of a server whose certificate this CA signed for these hostnames (DNS names or IP addresses). */
    SSLSocketFactory serverTls(String... hostnames) {
        HeldCertificate.Builder leaf = new HeldCertificate.Builder().signedBy(ca).commonName(hostnames[0]);
        for (String hostname : hostnames) {
            leaf.addSubjectAlternativeName(hostname);
        }
        return new HandshakeCertificates.Builder().heldCertificate(leaf.build(), ca.certificate()).build().sslSocketFactory();
    }
}
