package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.harperdb.operator.api.HarperCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagedMembersTest {

    @Test
    void aMemberIsKnownByItsPodsStableDnsName() {
        HarperCluster cluster = Clusters.demo();

        assertThat(ManagedMembers.podName(cluster, 0)).isEqualTo("demo-0");
        assertThat(ManagedMembers.nodeName(cluster, 0)).isEqualTo("demo-0.demo-hdb.ns.svc");
        assertThat(ManagedMembers.operationsUrl(cluster, 2)).isEqualTo("https://demo-2.demo-hdb.ns.svc:9924");
    }

    @Test
    void theDefaultResolverGivesTheStableDnsNames() {
        MemberAddress address = MemberAddressResolver.stableDns().resolve(Clusters.demo(), 1);

        assertThat(address).isEqualTo(new MemberAddress("demo-1", "demo-1.demo-hdb.ns.svc", "demo-1.demo-hdb.ns.svc",
                "https://demo-1.demo-hdb.ns.svc:9924"));
        assertThat(address.replicationUrl()).isEqualTo("wss://demo-1.demo-hdb.ns.svc:9933");
    }

    @Test
    void theSpecsReplicasAreTheMembers() {
        List<MemberAddress> addresses = ManagedMembers.addresses(Clusters.demo(), MemberAddressResolver.stableDns());

        assertThat(addresses).extracting(MemberAddress::podName).containsExactly("demo-0", "demo-1", "demo-2");
    }

    @Test
    void testsCanPlugInOtherAddresses() {
        MemberAddressResolver loopback = (cluster, ordinal) -> {
            String ip = "127.0.0." + (11 + ordinal);
            return new MemberAddress(ManagedMembers.podName(cluster, ordinal), ip, ip, "http://" + ip + ":9925");
        };

        assertThat(ManagedMembers.addresses(Clusters.demo(), loopback))
                .extracting(MemberAddress::nodeName).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
    }

    @Test
    void aClusterWithoutInstancesHasNoManagedMembers() {
        HarperCluster cluster = Clusters.demo();
        cluster.getSpec().setInstances(null);

        assertThat(ManagedMembers.replicas(cluster)).isZero();
        assertThat(ManagedMembers.addresses(cluster, MemberAddressResolver.stableDns())).isEmpty();
    }

    @Test
    void ordinalsAreNotNegative() {
        assertThatThrownBy(() -> ManagedMembers.podName(Clusters.demo(), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
