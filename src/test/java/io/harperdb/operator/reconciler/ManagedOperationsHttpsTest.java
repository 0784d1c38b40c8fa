package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Tls;
import io.harperdb.operator.resources.HarperContainer;
import io.harperdb.operator.resources.MemberAddress;
import io.harperdb.operator.resources.MemberAddressResolver;
import io.harperdb.operator.resources.MemberCertificates;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.replication.client.HarperOperationException;
import io.harperdb.replication.client.Outcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The https Operations API of managed pods: the operator verifies each pod's certificate against the CA its pods trust
 * (ca.crt of the cluster's {@code <cluster>-tls} Secret) and its hostname, and sends no credential to a pod that fails
 * either. Stand-ins serve the certificates over TLS at localhost, which stands for the pod's DNS name.
 */
class ManagedOperationsHttpsTest {
    private static final String PASSWORD = "s3cret-Pa55";
    private final TestCa clusterCa = new TestCa("harperdb-operator CA test/demo");
    private final TestCa otherCa = new TestCa("someone else's CA");
    private final Map<String, Secret> secrets = new HashMap<>(Map.of("demo-admin", Resources.secret("demo-admin", "admin", PASSWORD)));
    private final Function<String, Optional<Secret>> lookup = name -> Optional.ofNullable(secrets.get(name));
    private final HarperClientFactory clients = new HarperClientFactory(RunningOperator.TEST_TIMEOUTS);

    @Test
    void theStableDnsAddressIsTheHttpsPortVerifiedWithTheClustersCa() {
        secrets.put("demo-tls", clusterCa.secret("demo-tls", MemberCertificates.TRUSTED_CA_KEY));

        ClusterMember member = managed(verifying(), MemberAddressResolver.stableDns());

        assertThat(member.operationsUrl()).isEqualTo("https://demo-0.demo-hdb.test.svc:9924");
        assertThat(member.trust().mode()).isEqualTo(OperationsTrust.Mode.CA_BUNDLE);
        assertThat(member.trust().caCertificates()).singleElement()
                .satisfies(c -> assertThat(c.getSubjectX500Principal().getName()).contains("harperdb-operator CA test/demo"));
        assertThat(member.contactable()).isTrue();
    }

    @Test
    void aPodWhoseCertificateTheClustersCaSignedForItsHostnameIsCalled() throws Exception {
        secrets.put("demo-tls", clusterCa.secret("demo-tls", MemberCertificates.TRUSTED_CA_KEY));
        try (StandIn pod = new StandIn("demo-0", List.of(), true, clusterCa.serverTls("localhost"))) {
            ClusterMember member = managed(verifying(), at(pod.localhostUrl()));

            assertThat(clients.clientFor(member).clusterStatus().nodeName()).isEqualTo("demo-0");
            assertThat(pod.operations()).containsExactly("cluster_status");
        }
    }

    @Test
    void aPodWithACertificateFromAnotherCaGetsNoCredential() throws Exception {
        secrets.put("demo-tls", clusterCa.secret("demo-tls", MemberCertificates.TRUSTED_CA_KEY));
        try (StandIn pod = new StandIn("demo-0", List.of(), true, otherCa.serverTls("localhost"))) {
            ClusterMember member = managed(verifying(), at(pod.localhostUrl()));

            assertThatThrownBy(() -> clients.clientFor(member).clusterStatus())
                    .isInstanceOfSatisfying(HarperOperationException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.UNREACHABLE))
                    .hasMessageContaining("certification path").hasMessageNotContaining(PASSWORD);
            assertThat(pod.operations()).isEmpty();
        }
    }

    @Test
    void aPodWithACertificateForAnotherHostnameGetsNoCredential() throws Exception {
        secrets.put("demo-tls", clusterCa.secret("demo-tls", MemberCertificates.TRUSTED_CA_KEY));
        try (StandIn pod = new StandIn("demo-0", List.of(), true, clusterCa.serverTls("demo-1.demo-hdb.test.svc"))) {
            ClusterMember member = managed(verifying(), at(pod.localhostUrl()));

            assertThatThrownBy(() -> clients.clientFor(member).clusterStatus())
                    .isInstanceOfSatisfying(HarperOperationException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.UNREACHABLE))
                    .hasMessageContaining("Hostname localhost not verified");
            assertThat(pod.operations()).isEmpty();
        }
    }

    @Test
    void withoutTheCertificatesSecretNothingIsSentAndTheProblemNamesIt() {
        ClusterMember member = managed(verifying(), MemberAddressResolver.stableDns());

        assertThat(member.contactable()).isFalse();
        assertThat(member.contactProblem()).isEqualTo("Secret demo-tls (key ca.crt) of HarperCluster demo, whose CA verifies "
                + "its pods' https Operations API, not found");
    }

    @Test
    void withTlsVerifyFalseAnyCertificateIsAcceptedStillOverHttps() throws Exception {
        HarperCluster cluster = verifying();
        cluster.getSpec().getTls().setVerify(false);
        try (StandIn pod = new StandIn("demo-0", List.of(), true, otherCa.serverTls("elsewhere.example.com"))) {
            ClusterMember member = managed(cluster, at(pod.localhostUrl()));

            assertThat(member.trust().mode()).isEqualTo(OperationsTrust.Mode.ANY_CERTIFICATE);
            assertThat(clients.clientFor(member).clusterStatus().nodeName()).isEqualTo("demo-0");
        }
    }

    @Test
    void aPodFromATemplateWithoutTheHttpsPortIsCalledOnThePlainPortUntilItIsRestarted() {
        secrets.put("demo-tls", clusterCa.secret("demo-tls", MemberCertificates.TRUSTED_CA_KEY));
        // pods made before the https port: the roll that adds it waits for a Ready cluster, so they must stay reachable
        Pod old = pod("demo-1", new ContainerPortBuilder().withName("operations").withContainerPort(9925).build());
        Pod current = pod("demo-0", new ContainerPortBuilder().withName("operations").withContainerPort(9925).build(),
                new ContainerPortBuilder().withName("operations-tls").withContainerPort(9924).build());

        Set<String> plainOnly = HarperContainer.plainOperationsOnly(List.of(current, old));
        List<ClusterMember> members = MemberResolver.managed(verifying(), 2, 2, MemberAddressResolver.stableDns(), lookup, plainOnly)
                .staying();

        assertThat(plainOnly).containsExactly("demo-1");
        assertThat(members).extracting(ClusterMember::operationsUrl)
                .containsExactly("https://demo-0.demo-hdb.test.svc:9924", "http://demo-1.demo-hdb.test.svc:9925");
        assertThat(members).extracting(ClusterMember::contactable).containsExactly(true, true);
    }

    private static Pod pod(String name, ContainerPort... ports) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("harperdb").withPorts(ports).endContainer()
                .addNewContainer().withName("sidecar").endContainer().endSpec().build();
    }

    private ClusterMember managed(HarperCluster cluster, MemberAddressResolver addresses) {
        return MemberResolver.managed(cluster, 1, 1, addresses, lookup).staying().get(0);
    }

    /** Pod 0 at {@code operationsUrl}, named as in the cluster. */
    private static MemberAddressResolver at(String operationsUrl) {
        return (cluster, ordinal) -> {
            MemberAddress dns = MemberAddressResolver.stableDns().resolve(cluster, ordinal);
            return new MemberAddress(dns.podName(), dns.nodeName(), dns.replicationHostname(), operationsUrl);
        };
    }

    /** Resources' clusters turn tls.verify off; this one has the default, on. */
    private static HarperCluster verifying() {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 1);
        Tls tls = new Tls();
        tls.setVerify(true);
        cluster.getSpec().setTls(tls);
        return cluster;
    }
}
