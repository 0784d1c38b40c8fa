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
                .hasMessage("it has no key tls.crt");
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

        // another CA: a change of CA, in steps (aChangeOfCaKeepsEveryMemberTrustedAtEachStep)
        MemberCertificates.Plan newCa = MemberCertificates.plan(demo, other, current, 2, NOW.plusSeconds(1), DEFAULTS);
        assertThat(newCa.trustChange()).isEqualTo(MemberCertificates.TrustChange.TRUSTING);

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
    void aChangeOfCaKeepsEveryMemberTrustedAtEachStep() {
        Secret before = secret(MemberCertificates.plan(demo, ca, null, 2, NOW, DEFAULTS));
        Map<String, String> old = MemberCertificates.decode(before);
        ClusterCertificates.Issued next = MemberCertificates.newAuthority(demo, NOW, DEFAULTS);

        // 1. every pod restarts trusting both CAs; the certificates stay those of the old one
        MemberCertificates.Plan trusting = MemberCertificates.plan(demo, next, before, 2, NOW.plusSeconds(10), DEFAULTS, true);
        assertThat(trusting.trustChange()).isEqualTo(MemberCertificates.TrustChange.TRUSTING);
        assertThat(trusting.issued()).isEqualTo("2026-12-03T04:00:10Z");
        assertThat(trusting.renewed()).containsExactly("demo-0", "demo-1");
        assertThat(ClusterCertificates.parseBundle(trusting.files().get("ca.crt"))).containsExactly(next.certificate(), ca.certificate());
        assertThat(trusting.files().get("demo-0.crt")).isEqualTo(old.get("demo-0.crt"));
        assertThat(trusting.files().get("demo-1.key")).isEqualTo(old.get("demo-1.key"));
        Secret both = secret(trusting);

        // 2. not before every pod runs that batch: nothing changes
        MemberCertificates.Plan waiting = MemberCertificates.plan(demo, next, both, 2, NOW.plusSeconds(20), DEFAULTS, false);
        assertThat(waiting.changed()).isFalse();
        assertThat(waiting.files()).isEqualTo(trusting.files());
        // then the new CA issues every certificate, in a new batch; both CAs stay trusted while old certificates run
        MemberCertificates.Plan reissued = MemberCertificates.plan(demo, next, both, 2, NOW.plusSeconds(30), DEFAULTS, true);
        assertThat(reissued.trustChange()).isEqualTo(MemberCertificates.TrustChange.NONE);
        assertThat(reissued.renewed()).containsExactly("demo-0", "demo-1");
        assertThat(reissued.issued()).isEqualTo("2026-12-03T04:00:30Z");
        assertThat(ClusterCertificates.parseBundle(reissued.files().get("ca.crt"))).containsExactly(next.certificate(), ca.certificate());
        for (String pod : List.of("demo-0", "demo-1")) {
            assertThat(ClusterCertificates.signedBy(ClusterCertificates.parseCertificate(reissued.files().get(pod + ".crt")), next.certificate()))
                    .as(pod).isTrue();
        }
        Secret reissuedSecret = secret(reissued);

        // 3. once every pod runs them, the old CA goes, with no restart (same batch)
        assertThat(MemberCertificates.plan(demo, next, reissuedSecret, 2, NOW.plusSeconds(40), DEFAULTS, false).changed()).isFalse();
        MemberCertificates.Plan dropped = MemberCertificates.plan(demo, next, reissuedSecret, 2, NOW.plusSeconds(50), DEFAULTS, true);
        assertThat(dropped.trustChange()).isEqualTo(MemberCertificates.TrustChange.DROPPED);
        assertThat(dropped.renewed()).isEmpty();
        assertThat(dropped.issued()).isEqualTo(reissued.issued());
        assertThat(dropped.files().get("ca.crt")).isEqualTo(next.certificatePem());
        assertThat(dropped.files().get("demo-1.crt")).isEqualTo(reissued.files().get("demo-1.crt"));
        assertThat(MemberCertificates.plan(demo, next, secret(dropped), 2, NOW.plusSeconds(60), DEFAULTS, true).changed()).isFalse();
    }

    @Test
    void aUsersRsaCaSignsMemberCertificates() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair keys = generator.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name subject = new org.bouncycastle.asn1.x500.X500Name("CN=users RSA CA");
        X509Certificate rsaCa = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(subject, java.math.BigInteger.TEN,
                        java.util.Date.from(NOW.minusSeconds(60)), java.util.Date.from(NOW.plus(Duration.ofDays(30))), subject, keys.getPublic())
                        .addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                                new org.bouncycastle.asn1.x509.BasicConstraints(true))
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        ClusterCertificates.Issued users = new ClusterCertificates.Issued(rsaCa, keys.getPrivate());
        Secret secret = MemberCertificates.authoritySecret(demo, users);
        ClusterCertificates.Issued read = MemberCertificates.authority(secret);

        MemberCertificates.Plan plan = MemberCertificates.plan(demo, read, null, 1, NOW, DEFAULTS);
        X509Certificate member = ClusterCertificates.parseCertificate(plan.files().get("demo-0.crt"));
        assertThat(ClusterCertificates.signedBy(member, rsaCa)).isTrue();
        // a certificate never outlives its CA
        assertThat(member.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void aCertificateCutShortByItsCasExpiryIsNotRenewedEveryRound() {
        ClusterCertificates.Issued shortCa = ClusterCertificates.newAuthority("short", NOW, Duration.ofDays(20));
        Secret current = secret(MemberCertificates.plan(demo, shortCa, null, 2, NOW, DEFAULTS));
        // 365 days asked, 20 given (the CA's end), within renewBefore (30 days) at once: a new one could not last longer
        MemberCertificates.Plan later = MemberCertificates.plan(demo, shortCa, current, 2, NOW.plus(Duration.ofDays(1)), DEFAULTS);
        assertThat(later.changed()).isFalse();
        assertThat(later.expiries()).containsEntry("demo-0", NOW.plus(Duration.ofDays(20)));
    }

    @Test
    void aUsersCaSecretSaysWhatIsWrongWithoutItsContent() {
        Secret secret = MemberCertificates.authoritySecret(demo, ca);
        secret.getData().remove("tls.key");
        assertThatThrownBy(() -> MemberCertificates.authority(secret)).hasMessage("it has no key tls.key");
        ClusterCertificates.Issued leaf = ClusterCertificates.issue(ca, "demo-0.example", NOW, Duration.ofDays(1));
        Secret notACa = MemberCertificates.authoritySecret(demo, leaf);
        assertThatThrownBy(() -> MemberCertificates.authority(notACa)).hasMessageContaining("not a CA").hasMessageNotContaining("PRIVATE");
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
