package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.LinkDownStatus;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No hidden per-cluster memory: what must survive between rounds (since when a link is down, since when the
 * cluster is failing) is in the cluster's status, so a cluster deleted and created again under the same name
 * starts clean. Two members stood in by {@link StandIn}, listing each other with the link down.
 */
class ClusterRecreatedTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private MockKubernetes kubernetes;
    private KubernetesClient user;
    private StandIn a;
    private StandIn b;
    private RunningOperator operator;

    @BeforeEach
    void start() {
        kubernetes = new MockKubernetes();
        user = kubernetes.newUserClient();
        a = new StandIn("a.example.com", List.of("b.example.com"), false);
        b = new StandIn("b.example.com", List.of("a.example.com"), false);
        operator = new RunningOperator(kubernetes);
    }

    @AfterEach
    void stop() throws Exception {
        operator.close();
        a.close();
        b.close();
        user.close();
        kubernetes.close();
    }

    @Test
    void aClusterCreatedAgainUnderTheSameNameStartsClean() {
        user.resource(Resources.secret("admin", "admin", "pw")).create();
        user.resource(Resources.node("a", "demo", "a.example.com", a.url(), "admin")).create();
        user.resource(Resources.node("b", "demo", "b.example.com", b.url(), "admin")).create();
        user.resource(Resources.cluster("demo")).create();

        HarperCluster first = awaitCluster(c -> c.getStatus().getLinksDown() != null);
        LinkDownStatus down = first.getStatus().getLinksDown().get(0);
        assertThat(down.getA()).isEqualTo("a.example.com");
        assertThat(down.getB()).isEqualTo("b.example.com");
        Instant firstSince = Instant.parse(down.getSince());

        user.resource(first).delete();
        await().atMost(WAIT).until(() -> user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get() == null);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        Instant recreated = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        user.resource(Resources.cluster("demo")).create();

        HarperCluster second = awaitCluster(c -> c.getStatus().getLinksDown() != null);
        Instant secondSince = Instant.parse(second.getStatus().getLinksDown().get(0).getSince());
        assertThat(secondSince).as("the link's clock starts with the new cluster").isAfter(firstSince).isAfterOrEqualTo(recreated);
        Condition ready = second.getStatus().getConditions().stream().filter(c -> Conditions.READY.equals(c.getType())).findFirst().orElseThrow();
        assertThat(Instant.parse(ready.getLastTransitionTime())).as("the backoff's clock too").isAfterOrEqualTo(recreated);
        assertThat(a.operations()).as("nothing was healed on an inherited count").doesNotContain("add_node");
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return await().atMost(WAIT).until(() -> user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(),
                c -> c != null && c.getStatus() != null && condition.test(c));
    }
}
