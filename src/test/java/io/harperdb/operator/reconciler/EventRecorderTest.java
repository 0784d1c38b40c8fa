package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.replication.plan.PlannedOperation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/** Events aggregated as Kubernetes does: the same Event again raises the count of the one stored. */
class EventRecorderTest {

    /** A failing operation sent in N rounds (each round makes its own recorder, as the reconciler does) leaves one Event, count N. */
    @Test
    void aFailureRepeatedEveryRoundIsOneEventWithACount() throws Exception {
        int rounds = 4;
        try (MockKubernetes kubernetes = new MockKubernetes(); MockWebServer harper = new MockWebServer()) {
            for (int i = 0; i < rounds; i++) {
                harper.enqueue(new MockResponse().setResponseCode(500).setHeader("Content-Type", "application/json")
                        .setBody("{\"error\":\"Error returned from wss://demo-1:9933: connect ECONNREFUSED\"}"));
            }
            harper.start();
            HarperCluster cluster = kubernetes.client().resource(Resources.cluster("demo")).create();
            ClusterMember target = new ClusterMember("demo-0", "demo-0", null, harper.url("/").toString(), true, false, List.of(),
                    new MemberCredentials("admin", "s3cret-Pa55"), null, "demo-0");
            PlannedOperation addNode = new PlannedOperation.AddNode("demo-0", AddNodeRequest.hostname("demo-1")
                    .withAuthorization(NodeAuthorization.basic("admin", "s3cret-Pa55")));

            for (int i = 0; i < rounds; i++) {
                Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(30L * i), ZoneOffset.UTC);
                new PlanExecutor(new HarperClientFactory(RunningOperator.TEST_TIMEOUTS), new EventRecorder(kubernetes.client(), clock))
                        .execute(cluster, List.of(addNode), Map.of("demo-0", target));
            }

            List<Event> events = kubernetes.client().v1().events().inNamespace(NAMESPACE).list().getItems();
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.getReason()).isEqualTo("OperationFailed");
                assertThat(e.getCount()).isEqualTo(rounds);
                assertThat(e.getFirstTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
                assertThat(e.getLastTimestamp()).isEqualTo("2026-01-01T00:01:30Z");
                assertThat(e.getInvolvedObject().getUid()).isEqualTo(cluster.getMetadata().getUid());
                assertThat(e.getMessage()).doesNotContain("s3cret-Pa55");
            });
        }
    }

    @Test
    void eventsThatDifferInTypeReasonMessageOrObjectStayApart() {
        try (MockKubernetes kubernetes = new MockKubernetes()) {
            HarperCluster demo = kubernetes.client().resource(Resources.cluster("demo")).create();
            HarperCluster shop = kubernetes.client().resource(Resources.cluster("shop")).create();
            EventRecorder events = new EventRecorder(kubernetes.client());

            events.warning(demo, "OperationFailed", "add_node demo-1 on demo-0: refused");
            events.warning(demo, "OperationFailed", "add_node demo-1 on demo-0: refused");
            events.warning(demo, "OperationFailed", "add_node demo-2 on demo-0: refused");
            events.normal(demo, "OperationFailed", "add_node demo-1 on demo-0: refused");
            events.warning(demo, "RestartingPod", "add_node demo-1 on demo-0: refused");
            events.warning(shop, "OperationFailed", "add_node demo-1 on demo-0: refused");

            List<Event> stored = kubernetes.client().v1().events().inNamespace(NAMESPACE).list().getItems();
            assertThat(stored).hasSize(5);
            assertThat(stored).extracting(Event::getCount).containsExactlyInAnyOrder(2, 1, 1, 1, 1);
        }
    }

    @Test
    void namesAreValidForLongObjectNames() {
        HarperCluster cluster = Resources.cluster("a".repeat(230) + "." + "b".repeat(22));
        String name = EventRecorder.name(cluster, "Warning", "OperationFailed", "m");
        assertThat(name).hasSizeLessThanOrEqualTo(253).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?").doesNotContain("..");
        assertThat(EventRecorder.name(Resources.cluster("demo"), "Warning", "OperationFailed", "m")).startsWith("demo.").hasSize(5 + 16);
    }
}
