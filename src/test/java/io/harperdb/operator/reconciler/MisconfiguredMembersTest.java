package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.time.Duration;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resources that cannot work get a condition that says why, and nothing is sent to HarperDB. The
 * members' Operations API is a MockWebServer here, so that "nothing sent" is counted exactly.
 */
class MisconfiguredMembersTest {
    @RegisterExtension
    final OperatorOnMockApi api = new OperatorOnMockApi();
    private MockWebServer harper;

    @BeforeEach
    void start() throws Exception {
        harper = new MockWebServer();
        harper.start();
    }

    @AfterEach
    void stop() throws Exception {
        harper.shutdown();
    }

    @Test
    void aClusterRefToNothingIsReportedAndNothingIsSent() {
        api.kubernetes().client().resource(Resources.node("east-1", "missing", "east-1.example.com", harper.url("/").toString(), "east-1-admin")).create();
        api.kubernetes().client().resource(Resources.secret("east-1-admin", "admin", "pw")).create();

        HarperNode node = await().atMost(Duration.ofSeconds(20)).until(() -> nodeNamed("east-1"),
                n -> n.getStatus() != null && n.getStatus().getConditions() != null);
        Condition ready = node.getStatus().getConditions().get(0);
        assertThat(ready.getReason()).isEqualTo("ClusterNotFound");
        assertThat(ready.getMessage()).contains("HarperCluster missing does not exist");
        assertThat(node.getStatus().getPhase()).isEqualTo(Phase.PENDING);
        assertThat(harper.getRequestCount()).isZero();
    }

    @Test
    void aMissingSecretIsReportedAndNothingIsSent() {
        api.kubernetes().client().resource(Resources.cluster("demo")).create();
        api.kubernetes().client().resource(Resources.node("east-1", "demo", "east-1.example.com", harper.url("/").toString(), "absent")).create();

        HarperCluster cluster = await().atMost(Duration.ofSeconds(20)).until(() -> clusterNamed("demo"),
                c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.FAILED);
        Condition reconciled = condition(cluster, Conditions.RECONCILED);
        assertThat(reconciled.getStatus()).isEqualTo("False");
        assertThat(reconciled.getReason()).isEqualTo("CredentialsUnavailable");
        assertThat(reconciled.getMessage()).contains("Secret absent of HarperNode east-1 not found");
        HarperNode node = await().atMost(Duration.ofSeconds(10)).until(() -> nodeNamed("east-1"),
                n -> n.getStatus() != null && n.getStatus().getPhase() == Phase.FAILED);
        assertThat(node.getStatus().getConditions().get(0).getReason()).isEqualTo("CredentialsUnavailable");
        assertThat(harper.getRequestCount()).isZero();
    }

    @Test
    void aNodeWithoutHostnameOrUrlIsFailedWithTheReasonAndNothingIsSent() {
        // The CRD refuses such a node; an older CRD or a server without CEL lets it through.
        api.kubernetes().client().resource(Resources.cluster("demo")).create();
        api.kubernetes().client().resource(Resources.secret("east-1-admin", "admin", "pw")).create();
        api.kubernetes().client().resource(Resources.node("east-1", "demo", null, harper.url("/").toString(), "east-1-admin")).create();

        HarperNode node = await().atMost(Duration.ofSeconds(20)).until(() -> nodeNamed("east-1"),
                n -> n.getStatus() != null && n.getStatus().getPhase() != null);
        assertThat(node.getStatus().getPhase()).isEqualTo(Phase.FAILED);
        assertThat(node.getStatus().getObservedGeneration()).isEqualTo(node.getMetadata().getGeneration());
        Condition ready = node.getStatus().getConditions().get(0);
        assertThat(ready.getType()).isEqualTo(Conditions.READY);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("needs hostname or url");
        HarperCluster cluster = await().atMost(Duration.ofSeconds(20)).until(() -> clusterNamed("demo"),
                c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.FAILED);
        assertThat(condition(cluster, Conditions.READY).getMessage()).contains("east-1 (needs hostname or url)");
        assertThat(condition(cluster, Conditions.RECONCILED).getMessage()).isEqualTo("east-1 (needs hostname or url)");
        assertThat(harper.getRequestCount()).isZero();
    }

    @Test
    void aNodeWithoutHostnameOrUrlIsFailedEvenWithoutItsCluster() {
        api.kubernetes().client().resource(Resources.node("east-1", "missing", null, harper.url("/").toString(), "east-1-admin")).create();

        HarperNode node = await().atMost(Duration.ofSeconds(20)).until(() -> nodeNamed("east-1"),
                n -> n.getStatus() != null && n.getStatus().getPhase() != null);
        assertThat(node.getStatus().getPhase()).isEqualTo(Phase.FAILED);
        assertThat(node.getStatus().getObservedGeneration()).isEqualTo(node.getMetadata().getGeneration());
        assertThat(node.getStatus().getConditions().get(0).getReason()).isEqualTo("InvalidSpec");
    }

    private HarperNode nodeNamed(String name) {
        return api.kubernetes().client().resources(HarperNode.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private HarperCluster clusterNamed(String name) {
        return api.kubernetes().client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName(name).get();
    }

    static Condition condition(HarperCluster cluster, String type) {
        return cluster.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
