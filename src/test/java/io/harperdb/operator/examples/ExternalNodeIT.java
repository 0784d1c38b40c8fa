package io.harperdb.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.pods.PodContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/external-node.yaml} as written: three managed pods (pod-contract tier) and the HarperNode
 * eu-west-1, a HarperDB outside the cluster at hdb-eu-west-1.example.com with an https Operations API (its
 * own self-signed certificate), both Secrets created as the example's comment says (one super_user: HarperDB
 * replicates users, so two different passwords for {@code admin} cannot both last). The cluster reaches
 * Ready 4/4, eu-west-1 is Ready, and data flows both ways between the external member and the pods.
 */
class ExternalNodeIT {
    private static final String EXTERNAL = "hdb-eu-west-1.example.com";

    private PodContract k8s;

    @BeforeEach
    void start() {
        k8s = new PodContract(Path.of("target/pod-contract/external-node"));
    }

    @AfterEach
    void stop() {
        k8s.close();
    }

    @Test
    void theExternalMemberJoinsTheManagedOnesAndDataFlowsBothWays() {
        // The member in another region exists before the user declares it, with its own super_user; the
        // example's comment has both Secrets hold that one (HarperDB replicates users between members).
        String password = k8s.createAdminSecret("eu-west-1-admin");
        k8s.kubelet().runHost(EXTERNAL, "admin", password, true);
        k8s.createSecret("global-admin", "admin", password);
        k8s.apply(Path.of("examples/external-node.yaml"));

        await("global Ready 4/4").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HarperCluster global = k8s.cluster("global");
            assertThat(global.getStatus()).isNotNull();
            assertThat(global.getStatus().getPhase()).as("%s", global.getStatus()).isEqualTo(Phase.READY);
            assertThat(global.getStatus().getReadyMembers()).isEqualTo("4/4");
        });
        HarperCluster global = k8s.cluster("global");
        assertThat(global.getStatus().getMembers()).extracting(MemberStatus::getName).contains(EXTERNAL,
                k8s.podHost("global-0", "global"), k8s.podHost("global-1", "global"), k8s.podHost("global-2", "global"));
        await("eu-west-1 Ready").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HarperNode node = k8s.user().resources(HarperNode.class).inNamespace(PodContract.NAMESPACE).withName("eu-west-1").get();
            assertThat(node.getStatus()).isNotNull();
            assertThat(node.getStatus().getPhase()).as("%s", node.getStatus()).isEqualTo(Phase.READY);
        });

        String external = "https://" + EXTERNAL + ":9925";
        String pod1 = "http://" + k8s.podHost("global-1", "global") + ":9925";
        ExampleData onExternal = new ExampleData(k8s, "admin", password);
        ExampleData onPods = new ExampleData(k8s, "admin", password);
        onExternal.createTable(external, "regions");
        onExternal.insert(external, "regions", "from-eu", "on eu-west-1");
        await("eu-west-1's record on global-1").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> onPods.has(pod1, "regions", "from-eu"));
        onPods.insert(pod1, "regions", "from-global-1", "on global-1");
        await("global-1's record on eu-west-1").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> onExternal.has(external, "regions", "from-global-1"));
    }
}
