package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.ClusterCertificates;
import io.harperdb.operator.resources.MemberCertificates;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.tls.caSecret on the mock API server (no HarperDB runs): the user's CA signs the members' certificates, is only
 * read, is refused with a reason when unusable, and a change of CA to it (or back) re-issues the certificates.
 */
class UserCaTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final OperatorOnMockApi api = OperatorOnMockApi.managedPodsUnreachable();
    private final DemoCluster demo = new DemoCluster(api);

    private final ClusterCertificates.Issued usersCa = ClusterCertificates.newAuthority("users CA", Instant.now(), Duration.ofDays(30));

    @Test
    void theUsersCaSignsTheMembersCertificatesAndIsOnlyRead() {
        Secret mine = api.user().resource(caSecret("my-ca", usersCa.certificatePem(), usersCa.keyPem())).create();
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 2);
        cluster.getSpec().getTls().setCaSecret("my-ca");
        api.user().resource(cluster).create();

        await().atMost(WAIT).until(demo::statefulSet, s -> s != null);
        Secret members = demo.secret("demo-tls");
        assertThat(DemoCluster.decode(members, "ca.crt")).isEqualTo(usersCa.certificatePem());
        for (String pod : List.of("demo-0", "demo-1")) {
            X509Certificate certificate = ClusterCertificates.parseCertificate(DemoCluster.decode(members, pod + ".crt"));
            assertThat(ClusterCertificates.signedBy(certificate, usersCa.certificate())).as(pod).isTrue();
            assertThat(ClusterCertificates.dnsNames(certificate)).containsExactly(pod + ".demo-hdb." + NAMESPACE + ".svc");
        }
        assertThat(members.getMetadata().getAnnotations()).containsEntry(MemberCertificates.ISSUER_ANNOTATION, "caSecret");
        // no CA of the operator's, and the user's Secret untouched: not written, not owned
        assertThat(demo.secret("demo-ca")).isNull();
        assertThat(api.kubernetes().writes()).noneMatch(r -> r.path().split("\\?")[0].endsWith("/secrets/my-ca"));
        Secret after = demo.secret("my-ca");
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(mine.getMetadata().getResourceVersion());
        assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();

        HarperCluster reported = demo.await(c -> c.getStatus().getTls() != null);
        assertThat(reported.getStatus().getTls().getIssuer()).isEqualTo("caSecret");
        assertThat(reported.getStatus().getTls().getCaExpiry()).isEqualTo(usersCa.notAfter().toString());
    }

    @Test
    void aMissingOrUnusableCaSecretStopsTheRoundWithAReasonAndOneEvent() {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 1);
        cluster.getSpec().getTls().setCaSecret("my-ca");
        api.user().resource(cluster).create();

        Condition missing = awaitReason("CASecretMissing");
        assertThat(missing.getMessage()).contains("Secret my-ca named by spec.tls.caSecret does not exist in namespace " + NAMESPACE);
        assertThat(demo.statefulSet()).isNull();
        assertThat(demo.secret("demo-tls")).isNull();
        assertThat(demo.secret("demo-ca")).isNull();

        // a certificate that is no CA
        ClusterCertificates.Issued leaf = ClusterCertificates.issue(usersCa, "not-a-ca.example", Instant.now(), Duration.ofDays(1));
        api.user().resource(caSecret("my-ca", leaf.certificatePem(), leaf.keyPem())).create();
        Condition notACa = awaitReason("CASecretInvalid");
        assertThat(notACa.getMessage()).contains("Secret my-ca named by spec.tls.caSecret holds no usable CA: its certificate is not a CA")
                .contains("tls.crt").contains("tls.key");

        // a key that is not the certificate's
        ClusterCertificates.Issued other = ClusterCertificates.newAuthority("other", Instant.now(), Duration.ofDays(1));
        replaceCa("my-ca", usersCa.certificatePem(), other.keyPem());
        Condition mismatch = awaitCondition(c -> c.getMessage().contains("does not belong"));
        assertThat(mismatch.getReason()).isEqualTo("CASecretInvalid");

        // no key at all
        replaceCa("my-ca", usersCa.certificatePem(), null);
        assertThat(awaitCondition(c -> c.getMessage().contains("it has no key tls.key")).getReason()).isEqualTo("CASecretInvalid");

        assertThat(demo.statefulSet()).isNull();
        assertThat(demo.secret("demo-tls")).isNull();
        List<Event> warnings = api.user().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> e.getReason().startsWith("CASecret")).toList();
        assertThat(warnings).extracting(Event::getReason).containsOnly("CASecretMissing", "CASecretInvalid");
        assertThat(warnings).allSatisfy(e -> assertThat(e.getMessage()).doesNotContain("PRIVATE").doesNotContain("BEGIN"));
        assertThat(warnings.stream().filter(e -> e.getReason().equals("CASecretMissing"))).singleElement()
                .satisfies(e -> assertThat(e.getCount() == null ? 1 : e.getCount()).isEqualTo(1));

        // fixed: the round goes on
        replaceCa("my-ca", usersCa.certificatePem(), usersCa.keyPem());
        await().atMost(WAIT).until(demo::statefulSet, s -> s != null);
        assertThat(DemoCluster.decode(demo.secret("demo-tls"), "ca.crt")).isEqualTo(usersCa.certificatePem());
    }

    @Test
    void changingToTheUsersCaAndBackReissuesTheCertificatesIntoANewPodTemplate() {
        api.user().resource(ManagedResourcesTest.managedCluster("demo", 2)).create();
        StatefulSet first = await().atMost(WAIT).until(demo::statefulSet, s -> s != null);
        String operatorCa = DemoCluster.decode(demo.secret("demo-ca"), "tls.crt");
        String firstBatch = batch(first);
        api.user().resource(caSecret("my-ca", usersCa.certificatePem(), usersCa.keyPem())).create();

        ManagedResourcesTest.editCluster(api.user(), c -> c.getSpec().getTls().setCaSecret("my-ca"));

        // no pods run on the mock API, so every step follows the one before at once: in the end the user's CA alone
        // (awaited on the decoded ca.crt, so that a timeout prints no key)
        await().atMost(WAIT).until(() -> DemoCluster.decode(demo.secret("demo-tls"), "ca.crt"), usersCa.certificatePem()::equals);
        Secret members = demo.secret("demo-tls");
        for (String pod : List.of("demo-0", "demo-1")) {
            assertThat(ClusterCertificates.signedBy(ClusterCertificates.parseCertificate(DemoCluster.decode(members, pod + ".crt")), usersCa.certificate()))
                    .as(pod).isTrue();
        }
        StatefulSet changed = await().atMost(WAIT).until(demo::statefulSet, s -> batch(members).equals(batch(s)));
        assertThat(batch(changed)).isNotEqualTo(firstBatch);
        assertThat(api.user().v1().events().inNamespace(NAMESPACE).list().getItems()).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("CAChanging"));
        demo.await(c -> c.getStatus().getTls() != null && "caSecret".equals(c.getStatus().getTls().getIssuer()));

        // back to the operator's CA, which stayed
        ManagedResourcesTest.editCluster(api.user(), c -> c.getSpec().getTls().setCaSecret(null));
        await().atMost(WAIT).until(() -> DemoCluster.decode(demo.secret("demo-tls"), "ca.crt"), operatorCa::equals);
        Secret back = demo.secret("demo-tls");
        assertThat(ClusterCertificates.signedBy(ClusterCertificates.parseCertificate(DemoCluster.decode(back, "demo-1.crt")),
                ClusterCertificates.parseCertificate(operatorCa))).isTrue();
        demo.await(c -> c.getStatus().getTls() != null && "operator".equals(c.getStatus().getTls().getIssuer()));
    }

    private static String batch(StatefulSet statefulSet) {
        return statefulSet.getSpec().getTemplate().getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION);
    }

    private static String batch(Secret secret) {
        return secret.getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION);
    }

    private static Secret caSecret(String name, String certificatePem, String keyPem) {
        Map<String, String> data = new java.util.LinkedHashMap<>();
        data.put("tls.crt", base64(certificatePem));
        if (keyPem != null) {
            data.put("tls.key", base64(keyPem));
        }
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withType("kubernetes.io/tls").withData(data).build();
    }

    private void replaceCa(String name, String certificatePem, String keyPem) {
        Secret secret = caSecret(name, certificatePem, keyPem);
        api.user().secrets().inNamespace(NAMESPACE).withName(name).edit(s -> {
            s.setData(secret.getData());
            return s;
        });
    }

    private Condition awaitReason(String reason) {
        return awaitCondition(c -> reason.equals(c.getReason()));
    }

    private Condition awaitCondition(Predicate<Condition> reconciled) {
        HarperCluster cluster = demo.await(c -> c.getStatus().getPhase() == Phase.FAILED
                && reconciled.test(Conditions.find(c.getStatus().getConditions(), Conditions.RECONCILED)));
        return Conditions.find(cluster.getStatus().getConditions(), Conditions.RECONCILED);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

}
