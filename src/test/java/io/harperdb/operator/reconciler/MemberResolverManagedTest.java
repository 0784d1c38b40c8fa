package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.resources.MemberAddressResolver;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemberResolverManagedTest {

    @Test
    void podsBelowTheReplicasStayAndTheRestLeave() {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 2);
        Secret admin = Resources.secret("demo-admin", "admin", "s3cret");

        MemberResolver.Members members = MemberResolver.managed(cluster, 2, 4, MemberAddressResolver.stableDns(),
                name -> name.equals("demo-admin") ? Optional.of(admin) : Optional.empty());

        assertThat(members.staying()).extracting(ClusterMember::name)
                .containsExactly("demo-0.demo-hdb.test.svc", "demo-1.demo-hdb.test.svc");
        assertThat(members.leaving()).extracting(ClusterMember::resourceName).containsExactly("demo-2", "demo-3");
        ClusterMember first = members.staying().get(0);
        assertThat(first.hostname()).isEqualTo("demo-0.demo-hdb.test.svc");
        assertThat(first.operationsUrl()).isEqualTo("https://demo-0.demo-hdb.test.svc:9924");
        assertThat(first.credentials()).isEqualTo(new MemberCredentials("admin", "s3cret"));
        assertThat(first.verifyTls()).isFalse();   // Resources.cluster turns tls.verify off
    }

    @Test
    void aMissingAdminSecretIsEachMembersCredentialsProblem() {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 1);

        MemberResolver.Members members = MemberResolver.managed(cluster, 1, 0, MemberAddressResolver.stableDns(), name -> Optional.empty());

        assertThat(members.staying()).singleElement().satisfies(m -> {
            assertThat(m.hasCredentials()).isFalse();
            assertThat(m.credentialsProblem()).isEqualTo("Secret demo-admin of HarperCluster demo not found");
        });
    }

    @Test
    void harperNodesAndManagedPodsAreMembersTogether() {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 1);
        Secret secret = Resources.secret("any", "admin", "pw");
        HarperNode east = Resources.node("east-1", "demo", "east-1.example.com", "https://east-1.example.com:9925", "any");

        MemberResolver.Members members = MemberResolver.resolve(cluster, List.of(east), name -> Optional.of(secret))
                .plus(MemberResolver.managed(cluster, 1, 1, MemberAddressResolver.stableDns(), name -> Optional.of(secret)));

        assertThat(members.staying()).extracting(ClusterMember::name).containsExactly("east-1.example.com", "demo-0.demo-hdb.test.svc");
        assertThat(members.leaving()).isEmpty();
    }
}
