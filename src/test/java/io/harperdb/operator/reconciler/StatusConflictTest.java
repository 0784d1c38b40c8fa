package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.Route;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A status write refused with 409 Conflict loses nothing: the next round starts from the status that was not written
 * (here: that the routes were written to the member's config, which only status remembers), sends nothing twice, and
 * writes it.
 */
class StatusConflictTest {
    @RegisterExtension
    final OperatorOnMockApi api = new OperatorOnMockApi();



    @Test
    void aConflictOnTheStatusWriteLosesNothingAndTheNextRoundWritesIt() throws Exception {
        try (StandIn member = new StandIn("m.example.com", List.of(), true)) {
            api.kubernetes().conflictOnPatches("/harperclusters/demo/status", 1);
            api.kubernetes().conflictOnPatches("/harpernodes/m/status", 1);
            api.kubernetes().client().resource(Resources.secret("admin", "admin", "pw")).create();
            api.kubernetes().client().resource(Resources.node("m", "demo", "m.example.com", member.url(), "admin")).create();
            HarperCluster cluster = Resources.cluster("demo");
            cluster.getSpec().getReplication().setRoutes(List.of(Route.of("peer.example.com:9933")));
            api.kubernetes().client().resource(cluster).create();

            HarperCluster written = await().atMost(Duration.ofSeconds(30)).until(() -> cluster("demo"),
                    c -> c.getStatus() != null && c.getStatus().getMembers() != null && !c.getStatus().getMembers().isEmpty()
                            && c.getStatus().getMembers().get(0).getWrittenRoutes() != null);
            await().atMost(Duration.ofSeconds(30)).until(() -> node("m").getStatus() != null);
            // a few more rounds (poll interval 2 s): none may send the routes again
            Thread.sleep(6_000);

            assertThat(api.kubernetes().refusedPatches()).hasSize(2);
            assertThat(written.getStatus().getMembers().get(0).getWrittenRoutes()).containsExactly(Route.of("wss://peer.example.com:9933"));
            assertThat(written.getStatus().getRoutesPendingRestart()).containsExactly("m.example.com");
            assertThat(member.operations().stream().filter("cluster_set_routes"::equals).count())
                    .as("the routes written in the round whose status was refused are not written again").isEqualTo(1);
        }
    }

    private HarperCluster cluster(String name) {
        return api.kubernetes().client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private HarperNode node(String name) {
        return api.kubernetes().client().resources(HarperNode.class).inNamespace(NAMESPACE).withName(name).get();
    }
}
