package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.harperdb.operator.api.CaBundleSecret;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.HarperNodeStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.replication.client.HarperOperationException;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.plan.Plan;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The Operations API of a member outside the cluster: verified with the CA bundle its HarperNode names (chain and
 * hostname), or with the system's CAs; any certificate only behind verifyTls false, which a condition reports.
 */
class ExternalMemberTlsTest {
    private static final String PASSWORD = "s3cret-Pa55";
    private final TestCa ca = new TestCa("east CA");
    private final TestCa otherCa = new TestCa("someone else's CA");
    private final Map<String, Secret> secrets = new HashMap<>(Map.of("east-1-admin", Resources.secret("east-1-admin", "admin", PASSWORD)));
    private final Function<String, Optional<Secret>> lookup = name -> Optional.ofNullable(secrets.get(name));
    private final HarperClientFactory clients = new HarperClientFactory(RunningOperator.TEST_TIMEOUTS);

    @Test
    void aCertificateFromTheBundlesCaForTheRightHostnameIsTrusted() throws Exception {
        secrets.put("east-ca", ca.secret("east-ca", "ca.crt"));
        try (StandIn harper = new StandIn("east-1", List.of(), true, ca.serverTls("localhost"))) {
            ClusterMember member = member(node(harper.localhostUrl(), null, "east-ca", null));

            assertThat(member.trust().mode()).isEqualTo(OperationsTrust.Mode.CA_BUNDLE);
            assertThat(clients.clientFor(member).clusterStatus().nodeName()).isEqualTo("east-1");
            assertThat(harper.operations()).containsExactly("cluster_status");
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedBeforeAnyCredentialIsSent() throws Exception {
        secrets.put("east-ca", otherCa.secret("east-ca", "ca.crt"));
        try (StandIn harper = new StandIn("east-1", List.of(), true, ca.serverTls("localhost"))) {
            ClusterMember member = member(node(harper.localhostUrl(), null, "east-ca", null));

            assertThatThrownBy(() -> clients.clientFor(member).clusterStatus())
                    .isInstanceOfSatisfying(HarperOperationException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.UNREACHABLE))
                    .hasMessageContaining("certification path").hasMessageNotContaining(PASSWORD);
            assertThat(harper.operations()).isEmpty();
        }
    }

    @Test
    void aCertificateForAnotherHostnameIsRefused() throws Exception {
        secrets.put("east-ca", ca.secret("east-ca", "ca.crt"));
        try (StandIn harper = new StandIn("east-1", List.of(), true, ca.serverTls("east-1.example.com"))) {
            ClusterMember member = member(node(harper.localhostUrl(), null, "east-ca", null));

            assertThatThrownBy(() -> clients.clientFor(member).clusterStatus())
                    .isInstanceOfSatisfying(HarperOperationException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.UNREACHABLE))
                    .hasMessageContaining("Hostname localhost not verified");
            assertThat(harper.operations()).isEmpty();
        }
    }

    @Test
    void withoutABundleTheSystemsCasDecideAndAPrivateCaIsRefused() throws Exception {
        try (StandIn harper = new StandIn("east-1", List.of(), true, ca.serverTls("localhost"))) {
            ClusterMember member = member(node(harper.localhostUrl(), true, null, null));

            assertThat(member.trust().mode()).isEqualTo(OperationsTrust.Mode.SYSTEM_CAS);
            assertThatThrownBy(() -> clients.clientFor(member).clusterStatus()).isInstanceOf(HarperOperationException.class);
            assertThat(harper.operations()).isEmpty();
        }
    }

    @Test
    void verifyTlsFalseAcceptsAnyCertificateAndSaysSo() throws Exception {
        secrets.put("east-ca", otherCa.secret("east-ca", "ca.crt"));
        try (StandIn harper = new StandIn("east-1", List.of(), true, ca.serverTls("east-1.example.com"))) {
            ClusterMember member = member(node(harper.localhostUrl(), false, "east-ca", null));

            assertThat(clients.clientFor(member).clusterStatus().nodeName()).isEqualTo("east-1");
            assertThat(member.trust().unverifiedReason()).isEqualTo(OperationsTrust.VERIFY_TLS_FALSE);
            assertThat(member.trust().message()).contains("spec.verifyTls is false", "accepts any certificate",
                    "spec.caBundleSecret is not used");
        }
    }

    @Test
    void onlyVerifyTlsFalseOrAClusterThatVerifiesNothingTurnsVerificationOff() {
        String https = "https://east-1.example.com:9925";
        assertThat(member(node(https, false, null, null)).trust().unverifiedReason()).isEqualTo(OperationsTrust.VERIFY_TLS_FALSE);
        // nothing said on the node, nothing named: the cluster's tls.verify (false here) decides, and it is reported
        ClusterMember inherited = member(node(https, null, null, null));
        assertThat(inherited.trust().mode()).isEqualTo(OperationsTrust.Mode.ANY_CERTIFICATE);
        assertThat(inherited.trust().unverifiedReason()).isEqualTo(OperationsTrust.CLUSTER_VERIFY_FALSE);
        assertThat(inherited.trust().message()).contains("tls.verify false", "spec.caBundleSecret");
        // a named bundle is a request to verify with it, whatever the cluster says
        secrets.put("east-ca", ca.secret("east-ca", "ca.crt"));
        assertThat(member(node(https, null, "east-ca", null)).trust().mode()).isEqualTo(OperationsTrust.Mode.CA_BUNDLE);
        assertThat(member(node(https, null, "east-ca", null)).trust().unverifiedReason()).isNull();
        assertThat(member(node(https, true, null, null)).trust().unverifiedReason()).isNull();
        HarperCluster verifying = Resources.cluster("demo");
        verifying.getSpec().getTls().setVerify(true);
        assertThat(MemberResolver.member(verifying, node(https, null, null, null), lookup).trust().mode())
                .isEqualTo(OperationsTrust.Mode.SYSTEM_CAS);
        // plain http has no certificate at all: reported whatever the settings
        assertThat(member(node("http://east-1.example.com:9925", true, null, null)).trust().unverifiedReason())
                .isEqualTo(OperationsTrust.PLAIN_HTTP);
        // managed pods are the cluster's own settings' business, not reported here
        assertThat(OperationsTrust.managed(false).unverifiedReason()).isNull();
    }

    @Test
    void aMissingOrUnreadableBundleIsAProblemThatNamesNoContent() {
        String https = "https://east-1.example.com:9925";
        String garbage = "-----BEGIN CERTIFICATE-----\nTm90QUNlcnRpZmljYXRlQXRBbGw=\n-----END CERTIFICATE-----\n";
        assertThat(member(node(https, null, "absent", null)).trust().problem())
                .isEqualTo("Secret absent named by spec.caBundleSecret of HarperNode east-1 not found");
        secrets.put("other-key", ca.secret("other-key", "tls.crt"));
        assertThat(member(node(https, null, "other-key", null)).trust().problem())
                .contains("Secret other-key (key ca.crt)", "no such key").doesNotContain("BEGIN");
        assertThat(member(node(https, null, "other-key", "tls.crt")).trust().problem()).isNull();
        secrets.put("garbage", secret("garbage", Map.of("ca.crt", garbage)));
        ClusterMember broken = member(node(https, null, "garbage", null));
        assertThat(broken.trust().problem()).contains("holds no PEM-encoded X.509 certificate").doesNotContain("Tm90QUNl");
        assertThat(broken.contactable()).isFalse();
        assertThat(broken.contactProblem()).isEqualTo(broken.trust().problem());
        assertThatThrownBy(() -> clients.clientFor(broken)).hasMessageContaining("cannot be called");
    }

    @Test
    void theStatusesSayWhatIsNotVerifiedAndWhatCannotBeUsed() {
        secrets.put("garbage", secret("garbage", Map.of("ca.crt", "not a certificate")));
        ClusterMember broken = member(node("https://east-1.example.com:9925", null, "garbage", null));
        ClusterMember unverified = new ClusterMember("west-1", "west-1", null, "https://west-1:9925", false, false, List.of(),
                new MemberCredentials("admin", PASSWORD), null, "west-1",
                MemberResolver.member(Resources.cluster("demo"), node("https://west-1:9925", false, null, null), lookup).trust());
        Plan plan = new Plan(List.of(), Set.of(), Set.of(), Set.of(), Set.of(), Map.of());
        ClusterStatusBuilder.Round round = new ClusterStatusBuilder.Round(List.of(broken, unverified), Map.of(), plan, List.of(),
                Map.of(), 3, Instant.EPOCH);

        HarperNodeStatus brokenStatus = ClusterStatusBuilder.node(null, broken, round, 3);
        assertThat(brokenStatus.getPhase()).isEqualTo(Phase.FAILED);
        assertThat(Conditions.find(brokenStatus.getConditions(), Conditions.READY).getReason()).isEqualTo("CaBundleUnavailable");
        assertThat(Conditions.find(brokenStatus.getConditions(), Conditions.TLS_VERIFICATION_DISABLED)).isNull();

        Condition disabled = Conditions.find(ClusterStatusBuilder.node(null, unverified, round, 3).getConditions(),
                Conditions.TLS_VERIFICATION_DISABLED);
        assertThat(disabled.getStatus()).isEqualTo("True");
        assertThat(disabled.getReason()).isEqualTo("VerifyTlsFalse");

        var cluster = ClusterStatusBuilder.cluster(null, round);
        assertThat(cluster.getPhase()).isEqualTo(Phase.FAILED);
        assertThat(Conditions.find(cluster.getConditions(), Conditions.RECONCILED).getReason()).isEqualTo("CaBundleUnavailable");
        Condition clusterDisabled = Conditions.find(cluster.getConditions(), Conditions.TLS_VERIFICATION_DISABLED);
        assertThat(clusterDisabled.getStatus()).isEqualTo("True");
        assertThat(clusterDisabled.getReason()).isEqualTo("UnverifiedMembers");
        assertThat(clusterDisabled.getMessage()).contains("west-1 (VerifyTlsFalse)").doesNotContain("east-1");
    }

    private ClusterMember member(HarperNode node) {
        return MemberResolver.member(Resources.cluster("demo"), node, lookup);
    }

    /** A HarperNode east-1 at this Operations API url; null leaves verifyTls, the bundle or its key unset. */
    static HarperNode node(String operationsUrl, Boolean verifyTls, String caBundle, String key) {
        HarperNode node = Resources.node("east-1", "demo", "east-1", operationsUrl, "east-1-admin");
        node.getSpec().setVerifyTls(verifyTls);
        if (caBundle != null) {
            node.getSpec().setCaBundleSecret(key == null ? new CaBundleSecret(caBundle, CaBundleSecret.DEFAULT_KEY) : new CaBundleSecret(caBundle, key));
        }
        return node;
    }

    private static Secret secret(String name, Map<String, String> data) {
        return new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName(name).withNamespace(Resources.NAMESPACE)
                .endMetadata().withStringData(data).build();
    }
}
