package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.ClusterCertificates;
import io.harperdb.operator.resources.MemberCertificates;
import io.harperdb.operator.resources.TemplateHash;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CA and the members' certificates of a managed cluster on the mock API server (no HarperDB runs): made before
 * the StatefulSet, grown before it grows, renewed before expiry into a new pod template, never a CA replaced.
 */
class ClusterCertificatesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final OperatorOnMockApi api = OperatorOnMockApi.managedPodsUnreachable();
    private final DemoCluster demo = new DemoCluster(api);

    @Test
    void eachPodMountsItsOwnCertificateFromTheClustersCaBeforeTheStatefulSetExists() {
        HarperCluster cluster = api.user().resource(ManagedResourcesTest.managedCluster("demo", 3)).create();

        StatefulSet statefulSet = await().atMost(WAIT).until(() -> demo.statefulSet(), s -> s != null);
        Secret ca = demo.secret("demo-ca");
        Secret members = demo.secret("demo-tls");
        for (Secret owned : List.of(ca, members)) {
            assertThat(owned.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getUid()).isEqualTo(cluster.getMetadata().getUid()));
            assertThat(owned.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "harperdb-operator")
                    .containsEntry("app.kubernetes.io/instance", "demo");
        }
        assertThat(ca.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(members.getData()).containsOnlyKeys("ca.crt", "demo-0.crt", "demo-0.key", "demo-1.crt", "demo-1.key",
                "demo-2.crt", "demo-2.key");
        X509Certificate caCertificate = ClusterCertificates.parseCertificate(DemoCluster.decode(ca, "tls.crt"));
        X509Certificate demo1 = ClusterCertificates.parseCertificate(DemoCluster.decode(members, "demo-1.crt"));
        // the replication hostname the address resolver gives (here the bare pod name) is the pod's identity
        assertThat(ClusterCertificates.dnsNames(demo1)).containsExactly("demo-1.demo-hdb." + NAMESPACE + ".svc");
        assertThat(ClusterCertificates.signedBy(demo1, caCertificate)).isTrue();
        // created before the StatefulSet
        List<MockKubernetes.Request> writes = api.kubernetes().writes();
        assertThat(indexOf(writes, "POST", "/secrets")).isLessThan(indexOf(writes, "POST", "/statefulsets"));

        // the pod template: the Secret mounted read-only, each container's own files by $(POD_NAME), the batch annotated
        Volume tls = statefulSet.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> "tls".equals(v.getName()))
                .findFirst().orElseThrow();
        assertThat(tls.getSecret().getSecretName()).isEqualTo("demo-tls");
        assertThat(tls.getSecret().getDefaultMode()).isEqualTo(0440);
        Container harperdb = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(harperdb.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("tls");
            assertThat(m.getMountPath()).isEqualTo("/etc/harperdb/tls");
            assertThat(m.getReadOnly()).isTrue();
        });
        Map<String, String> env = harperdb.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("TLS_CERTIFICATE", "/etc/harperdb/tls/$(POD_NAME).crt")
                .containsEntry("TLS_PRIVATEKEY", "/etc/harperdb/tls/$(POD_NAME).key")
                .containsEntry("TLS_CERTIFICATEAUTHORITY", "/etc/harperdb/tls/ca.crt");
        assertThat(harperdb.getEnv()).extracting(EnvVar::getName).startsWith("POD_NAME");
        String batch = members.getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION);
        assertThat(statefulSet.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(MemberCertificates.ISSUED_ANNOTATION, batch);
        // the CA's key is in no volume
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getVolumes()).noneMatch(v -> v.getSecret() != null
                && "demo-ca".equals(v.getSecret().getSecretName()));

        HarperCluster reported = demo.await(c -> c.getStatus().getTls() != null);
        assertThat(reported.getStatus().getTls().getCaExpiry()).isEqualTo(caCertificate.getNotAfter().toInstant().toString());
        assertThat(reported.getStatus().getTls().getCertificatesExpiry()).isEqualTo(demo1.getNotAfter().toInstant().toString());
        assertThat(reported.getStatus().getTls().getCertificatesIssued()).isEqualTo(batch);
        assertThat(Instant.parse(reported.getStatus().getTls().getCertificatesExpiry()))
                .isBetween(Instant.now().plus(Duration.ofDays(364)), Instant.now().plus(Duration.ofDays(366)));
        assertThat(api.operator().registry().scrape()).contains("harperdb_operator_certificate_expiry_timestamp_seconds{certificate=\"demo-2\","
                + "cluster=\"demo\",namespace=\"" + NAMESPACE + "\"}").contains("certificate=\"ca\"");
        assertThat(api.user().v1().events().inNamespace(NAMESPACE).list().getItems()).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("CACreated"));
    }

    @Test
    void newOrdinalsGetCertificatesBeforeTheStatefulSetGrowsAndNoPodRestarts() {
        api.user().resource(ManagedResourcesTest.managedCluster("demo", 2)).create();
        StatefulSet before = await().atMost(WAIT).until(() -> demo.statefulSet(), s -> s != null);
        Secret members = demo.secret("demo-tls");
        api.kubernetes().clearRequests();

        ManagedResourcesTest.editCluster(api.user(), c -> c.getSpec().getInstances().setReplicas(4));

        StatefulSet after = await().atMost(WAIT).until(() -> demo.statefulSet(), s -> s.getSpec().getReplicas() == 4);
        Secret grown = demo.secret("demo-tls");
        assertThat(grown.getData()).containsKeys("demo-2.crt", "demo-3.key");
        assertThat(grown.getData().get("demo-0.crt")).isEqualTo(members.getData().get("demo-0.crt"));
        List<MockKubernetes.Request> writes = api.kubernetes().writes();
        assertThat(indexOf(writes, "PUT", "/secrets/demo-tls")).isLessThan(indexOf(writes, "PATCH", "/statefulsets/demo"));
        // same batch: the template is unchanged, so the pods that run keep running
        assertThat(TemplateHash.desired(after)).isEqualTo(TemplateHash.desired(before));
        assertThat(api.kubernetes().writes()).noneMatch(r -> r.path().contains("/secrets/demo-ca"));
    }

    @Test
    void certificatesAreRenewedBeforeExpiryIntoANewPodTemplate() {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 2);
        // renewed 55 s ahead of a 1 minute validity: due 5 s after being issued (the CRD allows no less than 1m)
        cluster.getSpec().getTls().setCertificateValidity("1m");
        cluster.getSpec().getTls().setRenewBefore("55s");
        api.user().resource(cluster).create();
        StatefulSet first = await().atMost(WAIT).until(() -> demo.statefulSet(), s -> s != null);
        Secret issued = demo.secret("demo-tls");
        String firstBatch = issued.getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION);
        Instant firstExpiry = ClusterCertificates.parseCertificate(DemoCluster.decode(issued, "demo-0.crt")).getNotAfter().toInstant();

        StatefulSet renewed = await().atMost(WAIT).until(() -> demo.statefulSet(), s -> !firstBatch.equals(
                s.getSpec().getTemplate().getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION)));

        Secret now = demo.secret("demo-tls");
        String batch = renewed.getSpec().getTemplate().getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION);
        assertThat(Instant.parse(batch)).isAfter(Instant.parse(firstBatch));
        assertThat(now.getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION)).isGreaterThanOrEqualTo(batch);
        for (String pod : List.of("demo-0", "demo-1")) {
            assertThat(ClusterCertificates.parseCertificate(DemoCluster.decode(now, pod + ".crt")).getNotAfter().toInstant()).isAfter(firstExpiry);
        }
        // a new template: the pods restart one at a time (RollingRestart) to load them
        assertThat(TemplateHash.desired(renewed)).isNotEqualTo(TemplateHash.desired(first));
        assertThat(demo.secret("demo-ca").getMetadata().getResourceVersion()).isNotNull();
        assertThat(api.user().v1().events().inNamespace(NAMESPACE).list().getItems()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("CertificatesRenewed");
            assertThat(e.getMessage()).contains("demo-0, demo-1").doesNotContain("PRIVATE");
        });
    }

    @Test
    void aCaThatExistsIsNeverReplaced() {
        api.user().resource(ManagedResourcesTest.managedCluster("demo", 1)).create();
        await().atMost(WAIT).until(() -> demo.statefulSet(), s -> s != null);
        Secret ca = demo.secret("demo-ca");

        // unusable: the round stops and says so; the Secret is left as it is
        api.user().secrets().inNamespace(NAMESPACE).withName("demo-ca").edit(s -> {
            s.getData().put("tls.key", Base64.getEncoder().encodeToString("garbage".getBytes(StandardCharsets.UTF_8)));
            return s;
        });
        HarperCluster invalid = demo.await(c -> c.getStatus().getPhase() == Phase.FAILED);
        Condition reconciled = Conditions.find(invalid.getStatus().getConditions(), Conditions.RECONCILED);
        assertThat(reconciled.getReason()).isEqualTo("CAInvalid");
        assertThat(reconciled.getMessage()).contains("Secret demo-ca holds no usable CA").contains("never replaces").doesNotContain("garbage");
        assertThat(api.kubernetes().writes()).noneMatch(r -> r.method().equals("PUT") && r.path().endsWith("/secrets/demo-ca"));

        // gone while certificates it signed remain: not made again until the user says so
        api.user().secrets().inNamespace(NAMESPACE).withName("demo-ca").delete();
        HarperCluster missing = demo.await(c -> "CAMissing".equals(Conditions.find(c.getStatus().getConditions(), Conditions.RECONCILED).getReason()));
        assertThat(Conditions.find(missing.getStatus().getConditions(), Conditions.RECONCILED).getMessage())
                .contains("Restore Secret demo-ca, or delete Secret demo-tls");
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> demo.secret("demo-ca") == null);

        // the members' Secret deleted too: a new CA and new certificates, in a new batch
        api.user().secrets().inNamespace(NAMESPACE).withName("demo-tls").delete();
        Secret newCa = await().atMost(WAIT).until(() -> demo.secret("demo-ca"), s -> s != null);
        assertThat(newCa.getData().get("tls.crt")).isNotEqualTo(ca.getData().get("tls.crt"));
        Secret members = await().atMost(WAIT).until(() -> demo.secret("demo-tls"), s -> s != null);
        assertThat(DemoCluster.decode(members, "ca.crt")).isEqualTo(DemoCluster.decode(newCa, "tls.crt"));
        demo.await(c -> c.getStatus().getPhase() != Phase.FAILED);
    }

    private static int indexOf(List<MockKubernetes.Request> writes, String method, String pathEnding) {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).method().equals(method) && writes.get(i).path().split("\\?")[0].endsWith(pathEnding)) {
                return i;
            }
        }
        throw new AssertionError("no " + method + " *" + pathEnding + " in " + writes);
    }

}
