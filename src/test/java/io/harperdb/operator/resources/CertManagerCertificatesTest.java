package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.IssuerRef;
import io.harperdb.operator.api.Tls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** cert-manager's Certificates as the operator asks for them, and what it mounts from their Secrets, without Kubernetes. */
class CertManagerCertificatesTest {
    private static final Instant NOW = Instant.parse("2026-12-03T04:00:00Z");
    private final HarperCluster demo = Clusters.demo();
    private final ClusterCertificates.Issued issuerCa = ClusterCertificates.newAuthority("cert-manager CA", NOW, Duration.ofDays(3650));
    private final Map<String, Secret> written = new HashMap<>();

    CertManagerCertificatesTest() {
        Tls tls = new Tls();
        tls.setIssuerRef(new IssuerRef("ca-issuer", null, null));
        tls.setCertificateValidity("2160h");
        demo.getSpec().setTls(tls);
    }

    @Test
    void aCertificateNamesThePodsReplicationHostnameAndTheIssuer() {
        GenericKubernetesResource certificate = CertManagerCertificates.certificate(demo, 2);
        assertThat(certificate.getApiVersion()).isEqualTo("cert-manager.io/v1");
        assertThat(certificate.getKind()).isEqualTo("Certificate");
        assertThat(certificate.getMetadata().getName()).isEqualTo("demo-2");
        assertThat(certificate.getMetadata().getNamespace()).isEqualTo("ns");
        Map<String, Object> spec = CertManagerCertificates.spec(certificate);
        assertThat(spec).containsEntry("secretName", "demo-2-tls").containsEntry("commonName", "demo-2.demo-hdb.ns.svc")
                .containsEntry("dnsNames", List.of("demo-2.demo-hdb.ns.svc")).containsEntry("duration", "2160h")
                .containsEntry("renewBefore", "720h")
                .containsEntry("issuerRef", Map.of("name", "ca-issuer", "kind", "Issuer", "group", "cert-manager.io"));
        // the same name as the operator's own certificate for that pod
        assertThat(spec.get("commonName")).isEqualTo(ManagedMembers.nodeName(demo, 2));
        assertThat(CertManagerCertificates.sameSpec(certificate, CertManagerCertificates.certificate(demo, 2))).isTrue();
        assertThat(CertManagerCertificates.sameSpec(certificate, CertManagerCertificates.certificate(demo, 1))).isFalse();
        assertThat(CertManagerCertificates.ordinalOf(demo, "demo-12")).contains(12);
        assertThat(CertManagerCertificates.ordinalOf(demo, "demo-x")).isEmpty();
        assertThat(CertManagerCertificates.ordinalOf(demo, "other-1")).isEmpty();
    }

    @Test
    void ordinalsCountInOrderUpToTheFirstWithoutAUsableCertificate() {
        issue(0, issuerCa, "demo-0.demo-hdb.ns.svc");
        issue(1, issuerCa, "demo-9.demo-hdb.ns.svc");    // another pod's name
        issue(2, issuerCa, "demo-2.demo-hdb.ns.svc");
        CertManagerCertificates.Issued issued = CertManagerCertificates.issued(demo, 3, this::secret);
        assertThat(issued.ready()).isEqualTo(1);
        assertThat(issued.waitingFor()).isEqualTo("Secret demo-1-tls of Certificate demo-1 to hold a certificate for demo-1.demo-hdb.ns.svc");
        assertThat(issued.toString()).doesNotContain("PRIVATE");

        written.get("demo-1-tls").getData().remove("ca.crt");
        issue(1, issuerCa, "demo-1.demo-hdb.ns.svc");
        written.get("demo-1-tls").getData().remove("ca.crt");
        assertThat(CertManagerCertificates.issued(demo, 3, this::secret).waitingFor()).contains("its CA certificate (ca.crt");

        ClusterCertificates.Issued other = ClusterCertificates.newAuthority("other", NOW, Duration.ofDays(10));
        issue(1, other, "demo-1.demo-hdb.ns.svc");
        written.get("demo-1-tls").getData().put("ca.crt", base64(issuerCa.certificatePem()));
        assertThat(CertManagerCertificates.issued(demo, 3, this::secret).waitingFor()).contains("a certificate that its ca.crt signed");

        issue(1, issuerCa, "demo-1.demo-hdb.ns.svc");
        assertThat(CertManagerCertificates.issued(demo, 4, this::secret).waitingFor())
                .isEqualTo("Secret demo-3-tls of Certificate demo-3 (not issued yet)");
        CertManagerCertificates.Issued all = CertManagerCertificates.issued(demo, 3, this::secret);
        assertThat(all.ready()).isEqualTo(3);
        assertThat(all.waitingFor()).isNull();
        assertThat(all.cas()).containsExactly(issuerCa.certificate());
    }

    @Test
    void aRenewalByCertManagerIsANewBatchAndANewOrdinalIsNot() {
        issue(0, issuerCa, "demo-0.demo-hdb.ns.svc");
        issue(1, issuerCa, "demo-1.demo-hdb.ns.svc");
        MemberCertificates.Plan first = CertManagerCertificates.plan(demo, CertManagerCertificates.issued(demo, 2, this::secret), null, 2, NOW, true);
        assertThat(first.issued()).isEqualTo("2026-12-03T04:00:00Z");
        assertThat(first.files().get("ca.crt")).isEqualTo(issuerCa.certificatePem());
        assertThat(first.files().get("demo-1.key")).isEqualTo(MemberCertificates.decode(written.get("demo-1-tls")).get("tls.key"));
        Secret mounted = mounted(first);

        assertThat(CertManagerCertificates.plan(demo, CertManagerCertificates.issued(demo, 2, this::secret), mounted, 2,
                NOW.plusSeconds(5), true).changed()).isFalse();

        issue(2, issuerCa, "demo-2.demo-hdb.ns.svc");
        MemberCertificates.Plan grown = CertManagerCertificates.plan(demo, CertManagerCertificates.issued(demo, 3, this::secret), mounted, 3,
                NOW.plusSeconds(10), true);
        assertThat(grown.added()).containsExactly("demo-2");
        assertThat(grown.issued()).isEqualTo(first.issued());
        mounted = mounted(grown);

        ClusterCertificates.Issued renewed = issue(1, issuerCa, "demo-1.demo-hdb.ns.svc");
        MemberCertificates.Plan renewal = CertManagerCertificates.plan(demo, CertManagerCertificates.issued(demo, 3, this::secret), mounted, 3,
                NOW.plusSeconds(20), true);
        assertThat(renewal.renewed()).containsExactly("demo-1");
        assertThat(renewal.issued()).isEqualTo("2026-12-03T04:00:20Z");
        assertThat(renewal.files().get("demo-1.crt")).isEqualTo(renewed.certificatePem());

        // scaled down to 2: demo-2's certificate goes
        MemberCertificates.Plan shrunk = CertManagerCertificates.plan(demo, CertManagerCertificates.issued(demo, 2, this::secret), mounted(renewal), 2,
                NOW.plusSeconds(30), true);
        assertThat(shrunk.removed()).containsExactly("demo-2");
        assertThat(shrunk.files()).doesNotContainKey("demo-2.crt");
    }

    @Test
    void fromTheOperatorsCaToCertManagerInSteps() {
        ClusterCertificates.Issued operatorCa = MemberCertificates.newAuthority(demo, NOW, MemberCertificates.Settings.of(new Tls()));
        Secret before = mounted(MemberCertificates.plan(demo, operatorCa, null, 2, NOW, MemberCertificates.Settings.of(new Tls())));
        Map<String, String> old = MemberCertificates.decode(before);
        issue(0, issuerCa, "demo-0.demo-hdb.ns.svc");
        issue(1, issuerCa, "demo-1.demo-hdb.ns.svc");
        CertManagerCertificates.Issued issued = CertManagerCertificates.issued(demo, 2, this::secret);

        MemberCertificates.Plan trusting = CertManagerCertificates.plan(demo, issued, before, 2, NOW.plusSeconds(10), true);
        assertThat(trusting.trustChange()).isEqualTo(MemberCertificates.TrustChange.TRUSTING);
        assertThat(ClusterCertificates.parseBundle(trusting.files().get("ca.crt"))).containsExactly(issuerCa.certificate(), operatorCa.certificate());
        assertThat(trusting.files().get("demo-0.crt")).isEqualTo(old.get("demo-0.crt"));
        assertThat(trusting.issued()).isEqualTo("2026-12-03T04:00:10Z");
        Secret both = mounted(trusting);

        assertThat(CertManagerCertificates.plan(demo, issued, both, 2, NOW.plusSeconds(20), false).changed()).isFalse();
        MemberCertificates.Plan swapped = CertManagerCertificates.plan(demo, issued, both, 2, NOW.plusSeconds(30), true);
        assertThat(swapped.issued()).isEqualTo("2026-12-03T04:00:30Z");
        assertThat(swapped.files().get("demo-0.crt")).isEqualTo(MemberCertificates.decode(written.get("demo-0-tls")).get("tls.crt"));
        assertThat(ClusterCertificates.parseBundle(swapped.files().get("ca.crt"))).hasSize(2);
        Secret swappedSecret = mounted(swapped);

        assertThat(CertManagerCertificates.plan(demo, issued, swappedSecret, 2, NOW.plusSeconds(40), false).changed()).isFalse();
        MemberCertificates.Plan dropped = CertManagerCertificates.plan(demo, issued, swappedSecret, 2, NOW.plusSeconds(50), true);
        assertThat(dropped.trustChange()).isEqualTo(MemberCertificates.TrustChange.DROPPED);
        assertThat(dropped.issued()).isEqualTo(swapped.issued());
        assertThat(dropped.files().get("ca.crt")).isEqualTo(issuerCa.certificatePem());
        assertThat(CertManagerCertificates.plan(demo, issued, mounted(dropped), 2, NOW.plusSeconds(60), true).changed()).isFalse();
    }

    private Secret mounted(MemberCertificates.Plan plan) {
        return MemberCertificates.certificatesSecret(demo, plan, null, "cert-manager");
    }

    private ClusterCertificates.Issued issue(int ordinal, ClusterCertificates.Issued ca, String hostname) {
        ClusterCertificates.Issued leaf = ClusterCertificates.issue(ca, hostname, NOW, Duration.ofDays(90));
        Map<String, String> data = new LinkedHashMap<>();
        data.put("tls.crt", base64(leaf.certificatePem()));
        data.put("tls.key", base64(leaf.keyPem()));
        data.put("ca.crt", base64(ca.certificatePem()));
        written.put("demo-" + ordinal + "-tls", new SecretBuilder().withNewMetadata().withName("demo-" + ordinal + "-tls").endMetadata()
                .withData(data).build());
        return leaf;
    }

    private Optional<Secret> secret(String name) {
        return Optional.ofNullable(written.get(name));
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
