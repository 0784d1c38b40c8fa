package io.harperdb.replication.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import javax.security.auth.x500.X500Principal;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;

/** cluster_status comes with the issuer of the certificate the member served: what its peers must hold for it. */
class HarperClientServedCertificateTest {
    private static final String STATUS = "{\"type\":\"cluster-status\",\"node_name\":\"demo-0\",\"connections\":[]}";

    @Test
    void overHttpsTheIssuerOfTheServedCertificate() throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("users CA")
                .organizationalUnit("platform").build();
        String host = InetAddress.getLoopbackAddress().getHostName();
        HeldCertificate served = new HeldCertificate.Builder().signedBy(ca).commonName(host).addSubjectAlternativeName(host).build();
        try (MockWebServer server = new MockWebServer()) {
            server.useHttps(new HandshakeCertificates.Builder().heldCertificate(served, ca.certificate()).build().sslSocketFactory(), false);
            server.enqueue(new MockResponse().setBody(STATUS));
            server.start();
            HandshakeCertificates trusting = new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate()).build();
            OkHttpClient base = new OkHttpClient.Builder().sslSocketFactory(trusting.sslSocketFactory(), trusting.trustManager()).build();

            ClusterStatusReply reply = new HarperClient(server.url("/").toString(), "demo-0", "admin", "pw", base,
                    HarperClient.Timeouts.DEFAULT).clusterStatusReply();

            assertThat(reply.status().nodeName()).isEqualTo("demo-0");
            assertThat(reply.certificateIssuer()).isEqualTo(new X500Principal("CN=users CA, OU=platform"))
                    .isEqualTo(ca.certificate().getSubjectX500Principal());
        }
    }

    @Test
    void overPlainHttpNone() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setBody(STATUS));
            server.start();

            ClusterStatusReply reply = new HarperClient(server.url("/").toString(), "demo-0", "admin", "pw", new OkHttpClient(),
                    HarperClient.Timeouts.DEFAULT).clusterStatusReply();

            assertThat(reply.status().nodeName()).isEqualTo("demo-0");
            assertThat(reply.certificateIssuer()).isNull();
        }
    }
}
