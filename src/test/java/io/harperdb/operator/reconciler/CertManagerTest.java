package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.IssuerRef;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.ClusterCertificates;
import io.harperdb.operator.resources.MemberCertificates;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.tls.issuerRef on the mock API server: the operator asks cert-manager for a Certificate per member, then mounts what
 * cert-manager writes (the test writes those Secrets, with certificates made by BouncyCastle, as cert-manager's CA
 * Issuer would), growing the StatefulSet only over ordinals whose certificates exist; a renewal rolls the pods.
 */
class CertManagerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final OperatorOnMockApi api = OperatorOnMockApi.managedPodsUnreachable();
    private final DemoCluster demo = new DemoCluster(api);

    private final ClusterCertificates.Issued issuerCa = ClusterCertificates.newAuthority("cert-manager CA", Instant.now(), Duration.ofDays(365));

    @Test
    @SuppressWarnings("unchecked")
    void certificatesAreRequestedAndWhatCertManagerIssuesIsMountedBeforeTheStatefulSetGrows() {
        installCertManagerCrd();
        HarperCluster cluster = api.user().resource(issuerCluster(2)).create();

        // one Certificate per member, as the operator's own certificates would be
        for (int ordinal = 0; ordinal < 2; ordinal++) {
            String host = "demo-" + ordinal + ".demo-hdb." + NAMESPACE + ".svc";
            GenericKubernetesResource certificate = await().atMost(WAIT).until(certificate("demo-" + ordinal), c -> c != null);
            assertThat(certificate.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getUid()).isEqualTo(cluster.getMetadata().getUid()));
            assertThat(certificate.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "demo");
            Map<String, Object> spec = spec(certificate);
            assertThat(spec).containsEntry("secretName", "demo-" + ordinal + "-tls").containsEntry("commonName", host)
                    .containsEntry("dnsNames", List.of(host)).containsEntry("duration", "8760h").containsEntry("renewBefore", "720h")
                    .containsEntry("issuerRef", Map.of("name", "ca-issuer", "kind", "ClusterIssuer", "group", "cert-manager.io"));
            assertThat((List<Object>) spec.get("usages")).contains("server auth", "client auth");
            assertThat((Map<String, Object>) spec.get("privateKey")).containsEntry("algorithm", "ECDSA");
        }

        // nothing issued yet: the round waits, nothing is mounted
        HarperCluster waiting = demo.await(c -> c.getStatus().getPhase() == Phase.PENDING);
        assertThat(Conditions.find(waiting.getStatus().getConditions(), Conditions.RECONCILED).getReason()).isEqualTo("CertificatesPending");
        assertThat(Conditions.find(waiting.getStatus().getConditions(), Conditions.RECONCILED).getMessage())
                .contains("Secret demo-0-tls of Certificate demo-0");
        assertThat(demo.statefulSet()).isNull();
        assertThat(demo.secret("demo-tls")).isNull();

        // cert-manager issues demo-0: mounted, and the StatefulSet made with that one ordinal only
        ClusterCertificates.Issued demo0 = issue(0);
        StatefulSet one = await().atMost(WAIT).until(demo::statefulSet, s -> s != null);
        assertThat(one.getSpec().getReplicas()).isEqualTo(1);
        Secret mounted = demo.secret("demo-tls");
        assertThat(DemoCluster.decode(mounted, "ca.crt")).isEqualTo(issuerCa.certificatePem());
        assertThat(DemoCluster.decode(mounted, "demo-0.crt")).isEqualTo(demo0.certificatePem());
        assertThat(DemoCluster.decode(mounted, "demo-0.key")).isEqualTo(demo0.keyPem());
        assertThat(mounted.getData()).doesNotContainKey("demo-1.crt");
        HarperCluster partial = demo.await(c -> Conditions.find(c.getStatus().getConditions(), "CertificatesIssued") != null);
        Condition pending = Conditions.find(partial.getStatus().getConditions(), "CertificatesIssued");
        assertThat(pending.getReason()).isEqualTo("CertificatesPending");
        assertThat(pending.getMessage()).contains("Secret demo-1-tls of Certificate demo-1");
        assertThat(partial.getStatus().getTls().getIssuer()).isEqualTo("cert-manager");
        assertThat(partial.getStatus().getTls().getCaExpiry()).isEqualTo(issuerCa.notAfter().toString());
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> demo.statefulSet().getSpec().getReplicas() == 1);

        // then demo-1: the StatefulSet grows, in the same batch (nobody restarts)
        issue(1);
        StatefulSet two = await().atMost(WAIT).until(demo::statefulSet, s -> s.getSpec().getReplicas() == 2);
        assertThat(demo.secret("demo-tls").getData()).containsKeys("demo-1.crt", "demo-1.key");
        assertThat(batch(two)).isEqualTo(batch(one));
        demo.await(c -> Conditions.find(c.getStatus().getConditions(), "CertificatesIssued") == null);

        // cert-manager renews demo-0: mounted in a new batch, so the pods restart one at a time
        ClusterCertificates.Issued renewed = issue(0);
        StatefulSet rolled = await().atMost(WAIT).until(demo::statefulSet, s -> !batch(one).equals(batch(s)));
        assertThat(DemoCluster.decode(demo.secret("demo-tls"), "demo-0.crt")).isEqualTo(renewed.certificatePem());
        assertThat(batch(rolled)).isEqualTo(demo.secret("demo-tls").getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION));
    }

    @Test
    void aChangedSpecIsWrittenBackAndTheCertificateOfAGoneOrdinalDeleted() throws Exception {
        installCertManagerCrd();
        api.user().resource(issuerCluster(2)).create();
        issue(0);
        issue(1);
        await().atMost(WAIT).until(demo::statefulSet, s -> s != null && s.getSpec().getReplicas() == 2);

        ManagedResourcesTest.editCluster(api.user(), c -> c.getSpec().getTls().setRenewBefore("240h"));
        await().atMost(WAIT).until(certificate("demo-1"), c -> "240h".equals(spec(c).get("renewBefore")));

        // a Certificate of the cluster's for an ordinal it does not have (as left by a scale-down) goes
        GenericKubernetesResource stray = io.harperdb.operator.resources.CertManagerCertificates.certificate(
                api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(), 4);
        api.user().genericKubernetesResources(ManagedResources.CERT_MANAGER_CERTIFICATES).inNamespace(NAMESPACE).resource(stray).create();
        await().atMost(WAIT).until(() -> certificate("demo-4").call() == null);
        assertThat(certificate("demo-1").call()).isNotNull();
        assertThat(api.kubernetes().writes()).anyMatch(r -> r.method().equals("DELETE") && r.path().contains("/certificates/demo-4"));
    }

    @Test
    void withoutCertManagerTheClusterSaysSoAndNothingIsMade() {
        api.user().resource(issuerCluster(1)).create();

        HarperCluster missing = demo.await(c -> c.getStatus().getPhase() == Phase.FAILED);
        Condition reconciled = Conditions.find(missing.getStatus().getConditions(), Conditions.RECONCILED);
        assertThat(reconciled.getReason()).isEqualTo("CertManagerMissing");
        assertThat(reconciled.getMessage()).contains("install cert-manager, or remove spec.tls.issuerRef");
        assertThat(demo.statefulSet()).isNull();
        assertThat(demo.secret("demo-tls")).isNull();
        assertThat(demo.secret("demo-ca")).isNull();
        // not hot: a few attempts, not one per millisecond
        long before = certificateRequests();
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
        assertThat(certificateRequests() - before).isLessThan(10);
    }

    private long certificateRequests() {
        return api.kubernetes().requests().stream().filter(r -> r.path().contains("cert-manager.io")).count();
    }

    private HarperCluster issuerCluster(int replicas) {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", replicas);
        cluster.getSpec().getTls().setIssuerRef(new IssuerRef("ca-issuer", "ClusterIssuer", null));
        cluster.getSpec().setPollInterval("1s");
        return cluster;
    }

    /** As cert-manager's CA Issuer: tls.crt, tls.key and ca.crt in the Certificate's Secret. */
    private ClusterCertificates.Issued issue(int ordinal) {
        ClusterCertificates.Issued leaf = ClusterCertificates.issue(issuerCa, "demo-" + ordinal + ".demo-hdb." + NAMESPACE + ".svc",
                Instant.now(), Duration.ofDays(90));
        Map<String, String> data = new LinkedHashMap<>();
        data.put("tls.crt", base64(leaf.certificatePem()));
        data.put("tls.key", base64(leaf.keyPem()));
        data.put("ca.crt", base64(issuerCa.certificatePem()));
        Secret secret = new SecretBuilder().withNewMetadata().withName("demo-" + ordinal + "-tls").withNamespace(NAMESPACE).endMetadata()
                .withType("kubernetes.io/tls").withData(data).build();
        api.user().resource(secret).createOr(existing -> existing.update());
        return leaf;
    }

    /** The CRD cert-manager installs (its name and version; the mock API server stores any object). */
    private void installCertManagerCrd() {
        api.user().apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("certificates.cert-manager.io").endMetadata()
                .withNewSpec().withGroup("cert-manager.io").withScope("Namespaced")
                .withNewNames().withKind("Certificate").withPlural("certificates").withSingular("certificate").withListKind("CertificateList").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .endVersion().endSpec().build()).create();
    }

    @Test
    void aClusterWithoutIssuerRefAsksNothingOfCertManager() {
        api.user().resource(ManagedResourcesTest.managedCluster("demo", 1)).create();
        await().atMost(WAIT).until(demo::statefulSet, s -> s != null);
        assertThat(certificateRequests()).isZero();
    }

    private java.util.concurrent.Callable<GenericKubernetesResource> certificate(String name) {
        return () -> api.user().genericKubernetesResources(ManagedResources.CERT_MANAGER_CERTIFICATES).inNamespace(NAMESPACE).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource certificate) {
        return (Map<String, Object>) certificate.getAdditionalProperties().get("spec");
    }

    private static String batch(StatefulSet statefulSet) {
        return statefulSet.getSpec().getTemplate().getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

}
