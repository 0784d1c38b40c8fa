package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.plan.PlannedOperation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PlanExecutor's failure rules, one row per rule: a failure stops the later operations about the same node
 * (they are skipped, not sent), the others go on; a 200 whose body reports a failure on the target counts as
 * failed; an operation whose target has no credentials is not sent. Member "a" answers in the order the rows
 * give; "nocreds" has no credentials.
 */
class PlanExecutorFailureRulesTest {
    private static final MockResponse OK = json(200, "{\"message\":\"Successfully completed\"}");
    private static final String SKIPPED = "skipped";

    /**
     * @param operations what the plan says, in order
     * @param answers    what member a answers to each operation sent to it, in order
     * @param outcomes   per operation: an Outcome name, or "skipped"
     */
    record Row(String rule, List<PlannedOperation> operations, List<MockResponse> answers, List<String> outcomes) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("every operation succeeds", List.of(add("b"), add("c")), List.of(OK, OK), List.of("SUCCESS", "SUCCESS")),
                new Row("a failed remove_node stops the re-add of the same node, not the others",
                        List.of(new PlannedOperation.RemoveNode("a", "b"), add("b"), add("c")),
                        List.of(json(500, "{\"error\":\"boom\"}"), OK), List.of("SERVER_ERROR", SKIPPED, "SUCCESS")),
                new Row("a 200 whose message reports an error on the target counts as failed",
                        List.of(add("b"), add("b"), add("c")),
                        List.of(json(200, "{\"message\":\"Successfully added, but there was an error updating target node\"}"), OK),
                        List.of("TARGET_FAILURE", SKIPPED, "SUCCESS")),
                new Row("a 200 carrying an error field counts as failed", List.of(add("b"), add("c")),
                        List.of(json(200, "{\"error\":\"b refused the connection\"}"), OK), List.of("TARGET_FAILURE", "SUCCESS")),
                new Row("a refused route edit stops the next edit of that member's routes",
                        List.of(new PlannedOperation.SetRoutes("a", List.of(Route.of("x:9933"))),
                                new PlannedOperation.DeleteRoutes("a", List.of(Route.of("y:9933"))), add("b")),
                        List.of(json(400, "{\"error\":\"bad route\"}"), OK), List.of("REFUSED", SKIPPED, "SUCCESS")),
                new Row("a target without credentials: not sent, and later operations about its subject are skipped",
                        List.of(new PlannedOperation.AddNode("nocreds", AddNodeRequest.hostname("b")), add("b"), add("c")),
                        List.of(OK), List.of("UNAUTHORIZED", SKIPPED, "SUCCESS")),
                new Row("a failure about one node does not skip operations about another", List.of(add("b"), add("c"), add("d")),
                        List.of(json(401, "{\"error\":\"Login failed\"}"), OK, OK), List.of("UNAUTHORIZED", "SUCCESS", "SUCCESS")));
    }

    private MockWebServer memberA;
    private final List<String> warnings = new ArrayList<>();
    private final EventRecorder events = new EventRecorder(null) {
        @Override
        public void normal(HasMetadata about, String reason, String message) {
        }

        @Override
        public void warning(HasMetadata about, String reason, String message) {
            warnings.add(reason + ": " + message);
        }
    };

    @BeforeEach
    void start() throws IOException {
        memberA = new MockWebServer();
        memberA.start();
    }

    @AfterEach
    void stop() throws IOException {
        memberA.shutdown();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void failureRules(Row row) throws Exception {
        row.answers().forEach(memberA::enqueue);
        Map<String, ClusterMember> members = Map.of(
                "a", new ClusterMember("a", "a", null, memberA.url("/").toString(), false, false, List.of(),
                        new MemberCredentials("admin", "pw"), null, "a"),
                "nocreds", new ClusterMember("nocreds", "nocreds", null, "http://127.0.0.1:1", false, false, List.of(), null,
                        "Secret x not found", "nocreds"));

        List<OperationResult> results = new PlanExecutor(new HarperClientFactory(RunningOperator.TEST_TIMEOUTS), events)
                .execute(cluster(), row.operations(), members);

        assertThat(results).extracting(OperationResult::operation).containsExactlyElementsOf(row.operations());
        assertThat(results).extracting(r -> r.skipped() ? SKIPPED : r.outcome().name()).containsExactlyElementsOf(row.outcomes());
        long sentToA = Arrays.stream(row.outcomes().toArray(String[]::new)).filter(o -> !o.equals(SKIPPED)).count()
                - row.operations().stream().filter(op -> op.target().equals("nocreds")).count();
        assertThat(memberA.getRequestCount()).as("skipped operations are not sent").isEqualTo(sentToA);
        assertThat(warnings).as("one Warning Event per failure, none for a skipped operation")
                .hasSize((int) row.outcomes().stream().filter(o -> !o.equals(SKIPPED) && !o.equals(Outcome.SUCCESS.name())).count());
        assertThat(warnings).allSatisfy(w -> assertThat(w).doesNotContain("pw"));
        results.stream().filter(OperationResult::skipped)
                .forEach(r -> assertThat(r.message()).startsWith("skipped: an earlier operation about"));
    }

    private static PlannedOperation add(String node) {
        return new PlannedOperation.AddNode("a", AddNodeRequest.hostname(node).withVerifyTls(false));
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static HarperCluster cluster() {
        return Resources.cluster("demo");
    }
}
