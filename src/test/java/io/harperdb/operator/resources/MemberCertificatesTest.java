package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Tls;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster CA, the members' certificates and what each round renews, without Kubernetes. */
class MemberCertificatesTest {
    private static final Instant NOW = Instant.parse("2026-12-03T04:00:00Z");
    private static final MemberCertificates.Settings DEFAULTS = MemberCertificates.Settings.of(new Tls());
    private final HarperCluster demo = Clusters.demo();
    private final ClusterCertificates.Issued ca = MemberCertificates.newAuthority(demo, NOW, DEFAULTS);

    @Test
    void theDefaultsAreAYearRenewedAMonthAheadWithATenYearCa() {
        assertThat(DEFAULTS.validity()).isEqualTo(Duration.ofDays(365));
        assertThat(DEFAULTS.renewBefore()).isEqualTo(Duration.ofDays(30));
        assertThat(DEFAULTS.caValidity()).isEqualTo(Duration.ofDays(3650));
        assertThat(new Tls().getVerify()).isTrue();
    }

    @Test
    void theCaSignsMemberCertificatesOnlyAndRoundTripsThroughItsSecret() throws Exception {
        X509Certificate certificate = ca.certificate();
        assertThat(certificate.getBasicConstraints()).isZero();    // a CA, path length 0
        assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=harperdb-operator CA ns/demo");
        assertThat(ca.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(3650)));

        Secret secret = MemberCertificates.authoritySecret(demo, ca);
        assertThat(secret.getMetadata().getName()).isEqualTo("demo-ca");
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "harperdb-operator");
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(Clusters.UID));
        ClusterCertificates.Issued read = MemberCertificates.authority(secret);
        assertThat(read.certificate()).isEqualTo(certificate);
        assertThat(read.key().getEncoded()).isEqualTo(ca.key().getEncoded());
        assertThat(secret.toString()).doesNotContain("PRIVATE");    // base64 only; and Issued hides its key
        assertThat(ca.toString()).doesNotContain("PRIVATE").contains("notAfter");
    }

    @Test
    void aCaSecretWithoutAUsableCaIsRefused() {
        Secret secret = MemberCertificates.authoritySecret(demo, ca);
        secret.getData().put("tls.key", Base64.getEncoder().encodeToString(
                MemberCertificates.newAuthority(demo, NOW, DEFAULTS).keyPem().getBytes()));
        assertThatThrownBy(() -> MemberCertificates.authority(secret)).hasMessageContaining("does not belong");
        secret.getData().remove("tls.crt");
        assertThatThrownBy(() -> MemberCertificates.authority(secret)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no certificate");
        ClusterCertificates.Issued leaf = ClusterCertificates.issue(ca, "x", NOW, Duration.ofDays(1));
        Secret notACa = MemberCertificates.authoritySecret(demo, leaf);
        assertThatThrownBy(() -> MemberCertificates.authority(notACa)).hasMessageContaining("not a CA");
    }

    @Test
    void eachPodGetsACertificateForItsReplicationHostnameForServerAndClient() throws Exception {
        MemberCertificates.Plan plan = MemberCertificates.plan(demo, ca, null, 3, NOW, DEFAULTS);

        assertThat(plan.added()).containsExactly("demo-0", "demo-1", "demo-2");
        assertThat(plan.renewed()).isEmpty();
        assertThat(plan.issued()).isEqualTo("2026-12-03T04:00:00Z");
        assertThat(plan.files()).containsOnlyKeys("ca.crt", "demo-0.crt", "demo-0.key", "demo-1.crt", "demo-1.key", "demo-2.crt", "demo-2.key");
        assertThat(plan.files().get("ca.crt")).isEqualTo(ca.certificatePem()).doesNotContain("PRIVATE");
        for (int i = 0; i < 3; i++) {
            String hostname = "demo-" + i + ".demo-hdb.ns.svc";
            X509Certificate leaf = ClusterCertificates.parseCertificate(plan.files().get("demo-" + i + ".crt"));
            assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + hostname);
            assertThat(ClusterCertificates.dnsNames(leaf)).containsExactly(hostname);
            assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
            assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
            assertThat(ClusterCertificates.signedBy(leaf, ca.certificate())).isTrue();
            assertThat(ClusterCertificates.matches(ClusterCertificates.parse(plan.files().get("demo-" + i + ".crt"),
                    plan.files().get("demo-" + i + ".key")))).isTrue();
            assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
            leaf.checkValidity(java.util.Date.from(NOW));
        }
        assertThat(plan.earliestExpiry()).contains(NOW.plus(Duration.ofDays(365)));
    }

    @Test
    void nothingChangesWhileTheCertificatesAreFarFromExpiry() {
        Secret current = secret(MemberCertificates.plan(demo, ca, null, 3, NOW, DEFAULTS));
        MemberCertificates.Plan later = MemberCertificates.plan(demo, ca, current, 3, NOW.plus(Duration.ofDays(334)), DEFAULTS);

        assertThat(later.changed()).isFalse();
        assertThat(later.issued()).isEqualTo("2026-12-03T04:00:00Z");
        assertThat(later.files()).isEqualTo(MemberCertificates.decode(current));
    }

    @Test
    void aNewOrdinalGetsACertificateInTheSameBatchSoThatNoPodRestarts() {
        Secret current = secret(MemberCertificates.plan(demo, ca, null, 3, NOW, DEFAULTS));
        MemberCertificates.Plan grown = MemberCertificates.plan(demo, ca, current, 5, NOW.plus(Duration.ofDays(10)), DEFAULTS);

        assertThat(grown.added()).containsExactly("demo-3", "demo-4");
        assertThat(grown.renewed()).isEmpty();
        assertThat(grown.issued()).isEqualTo("2026-12-03T04:00:00Z");
        assertThat(grown.files().get("demo-0.crt")).isEqualTo(MemberCertificates.decode(current).get("demo-0.crt"));
        assertThat(grown.expiries().get("demo-4")).isEqualTo(NOW.plus(Duration.ofDays(375)));

        MemberCertificates.Plan shrunk = MemberCertificates.plan(demo, ca, secret(grown), 2, NOW.plus(Duration.ofDays(11)), DEFAULTS);
        assertThat(shrunk.removed()).containsExactly("demo-2", "demo-3", "demo-4");
        assertThat(shrunk.files()).containsOnlyKeys("ca.crt", "demo-0.crt", "demo-0.key", "demo-1.crt", "demo-1.key");
        assertThat(shrunk.issued()).isEqualTo("2026-12-03T04:00:00Z");
    }

    @Test
    void withinRenewBeforeOfExpiryEveryCertificateIsRenewedInANewBatch() {
        MemberCertificates.Settings shortLived = new MemberCertificates.Settings(Duration.ofMinutes(3), Duration.ofMinutes(2), Duration.ofDays(1));
        Secret current = secret(MemberCertificates.plan(demo, ca, null, 2, NOW, shortLived));
        Secret grown = secret(MemberCertificates.plan(demo, ca, current, 3, NOW.plusSeconds(30), shortLived));

        assertThat(MemberCertificates.plan(demo, ca, grown, 3, NOW.plusSeconds(59), shortLived).changed()).isFalse();
        Instant due = NOW.plusSeconds(60);    // demo-0 expires at NOW + 3m: due 2m ahead
        MemberCertificates.Plan renewed = MemberCertificates.plan(demo, ca, grown, 3, due, shortLived);

        assertThat(renewed.renewed()).containsExactly("demo-0", "demo-1", "demo-2");
        assertThat(renewed.issued()).isEqualTo("2026-12-03T04:01:00Z");
        assertThat(renewed.expiries()).containsOnly(Map.entry("demo-0", due.plus(Duration.ofMinutes(3))),
                Map.entry("demo-1", due.plus(Duration.ofMinutes(3))), Map.entry("demo-2", due.plus(Duration.ofMinutes(3))));
        assertThat(renewed.files().get("demo-2.crt")).isNotEqualTo(MemberCertificates.decode(grown).get("demo-2.crt"));
    }

    @Test
    void aCertificateOfAnotherCaOrHostnameOrKeyIsReissued() {
        Secret current = secret(MemberCertificates.plan(demo, ca, null, 2, NOW, DEFAULTS));
        ClusterCertificates.Issued other = MemberCertificates.newAuthority(demo, NOW, DEFAULTS);

        MemberCertificates.Plan newCa = MemberCertificates.plan(demo, other, current, 2, NOW.plusSeconds(1), DEFAULTS);
        assertThat(newCa.renewed()).containsExactly("demo-0", "demo-1");
        assertThat(newCa.files().get("ca.crt")).isEqualTo(other.certificatePem());

        for (String[] swap : List.of(new String[]{"demo-0.crt", "demo-1.crt"}, new String[]{"demo-0.key", "demo-1.key"})) {
            Secret tampered = secret(MemberCertificates.plan(demo, ca, null, 2, NOW, DEFAULTS));
            tampered.getData().put(swap[0], tampered.getData().get(swap[1]));
            assertThat(MemberCertificates.plan(demo, ca, tampered, 2, NOW.plusSeconds(1), DEFAULTS).renewed())
                    .as(swap[0]).containsExactly("demo-0", "demo-1");
        }
        Secret garbage = secret(MemberCertificates.plan(demo, ca, null, 2, NOW, DEFAULTS));
        garbage.getData().put("demo-1.crt", Base64.getEncoder().encodeToString("not a certificate".getBytes()));
        assertThat(MemberCertificates.plan(demo, ca, garbage, 2, NOW.plusSeconds(1), DEFAULTS).renewed()).hasSize(2);
    }

    @Test
    void theMountedSecretIsOwnedLabelledAndNamesItsBatch() {
        MemberCertificates.Plan plan = MemberCertificates.plan(demo, ca, null, 1, NOW, DEFAULTS);
        Secret secret = MemberCertificates.certificatesSecret(demo, plan, null);

        assertThat(secret.getMetadata().getName()).isEqualTo("demo-tls");
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("harperdb.io/certificates-issued", "2026-12-03T04:00:00Z");
        assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "demo");
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("HarperCluster"));
        assertThat(secret.getData()).doesNotContainKeys("tls.key");    // the CA's key is never mounted
        assertThat(MemberCertificates.decode(secret)).isEqualTo(plan.files());
        assertThat(plan.toString()).doesNotContain("PRIVATE");

        Secret updated = MemberCertificates.certificatesSecret(demo, MemberCertificates.plan(demo, ca, secret, 2, NOW, DEFAULTS), secret);
        assertThat(updated.getMetadata().getOwnerReferences()).hasSize(1);
    }

    @Test
    void aRenewBeforeAsLongAsTheValidityCannotRenewEveryRound() {
        Tls tls = new Tls();
        tls.setCertificateValidity("3m");
        tls.setRenewBefore("5m");
        assertThat(MemberCertificates.Settings.of(tls).renewBefore()).isEqualTo(Duration.ofMinutes(1));
    }

    private Secret secret(MemberCertificates.Plan plan) {
        return MemberCertificates.certificatesSecret(demo, plan, null);
    }
}
