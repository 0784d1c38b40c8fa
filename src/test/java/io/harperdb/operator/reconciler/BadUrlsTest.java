package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * A url or operationsUrl that does not parse (an older CRD lets it through) makes the member invalid,
 * never an exception in reconcile or cleanup, and its HarperNode can still be deleted.
 */
class BadUrlsTest {
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
    void badUrlsMakeInvalidMembersAndTheirNodesCanBeDeleted() {
        api.kubernetes().client().resource(Resources.cluster("demo")).create();
        api.kubernetes().client().resource(Resources.secret("admin", "admin", "pw")).create();
        HarperNode spaced = Resources.node("spaced", "demo", null, harper.url("/").toString(), "admin");
        spaced.getSpec().setUrl("wss:// x");
        HarperNode http = Resources.node("http", "demo", null, harper.url("/").toString(), "admin");
        http.getSpec().setUrl("http://east-2.example.com:9933");
        HarperNode ops = Resources.node("ops", "demo", "east-3.example.com", "ht tp://east-3:9925", "admin");
        for (HarperNode n : new HarperNode[] {spaced, http, ops}) {
            api.kubernetes().client().resource(n).create();
        }

        HarperCluster cluster = await().atMost(Duration.ofSeconds(20)).until(() -> clusterNamed("demo"),
                c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.FAILED
                        && MisconfiguredMembersTest.condition(c, Conditions.RECONCILED).getMessage().contains("ops"));
        String invalid = MisconfiguredMembersTest.condition(cluster, Conditions.RECONCILED).getMessage();
        assertThat(invalid).contains("spaced (", "http (", "ops (");
        for (String name : new String[] {"spaced", "http", "ops"}) {
            HarperNode node = await().atMost(Duration.ofSeconds(20)).until(() -> nodeNamed(name),
                    n -> n.getStatus() != null && n.getStatus().getPhase() == Phase.FAILED);
            assertThat(node.getStatus().getConditions().get(0).getReason()).isEqualTo("InvalidSpec");
        }
        assertThat(harper.getRequestCount()).isZero();

        for (String name : new String[] {"spaced", "http", "ops"}) {
            api.kubernetes().client().resources(HarperNode.class).inNamespace(NAMESPACE).withName(name).delete();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> api.kubernetes().client().resources(HarperNode.class)
                .inNamespace(NAMESPACE).list().getItems().isEmpty());
        assertThat(harper.getRequestCount()).isZero();
    }

    private HarperNode nodeNamed(String name) {
        return api.kubernetes().client().resources(HarperNode.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private HarperCluster clusterNamed(String name) {
        return api.kubernetes().client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName(name).get();
    }
}
