package io.harperdb.replication.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.parallel.Isolated;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.Subscription;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The Operations API client against OkHttp's MockWebServer: what it sends, and how it reads every answer. */
@Isolated("captures the root logger's events: other classes' would mix in")
class HarperClientTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OkHttpClient BASE = new OkHttpClient();

    static final String MEMBER = "demo-0";
    static final String USER = "admin";
    static final String PASSWORD = "s3cr3t-Pa55";
    /** The credentials a node is given, in add_node, to reach its new peer. */
    static final String PEER_USER = "peer-admin";
    static final String PEER_PASSWORD = "p33r-s3cr3t-Pa55";
    static final String PEER_HEADER = "Basic " + base64(PEER_USER + ":" + PEER_PASSWORD);
    /** Every form a secret could leak in. */
    static final List<String> SECRETS = List.of(PASSWORD, base64(USER + ":" + PASSWORD),
            PEER_PASSWORD, base64(PEER_USER + ":" + PEER_PASSWORD));

    static final Subscription DOG_PUBLISHED = Subscription.of("data", "dog", false, true);
    static final Subscription CAT_BOTH_WAYS = Subscription.of("data", "cat", true, true);

    static final Duration SHORT_READ = Duration.ofMillis(300);

    MockWebServer server;
    HarperClient client;
    ListAppender<ILoggingEvent> logs;
    private Level previousLevel;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        client = clientFor(server.url("/").toString(), HarperClient.Timeouts.DEFAULT);
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
        Logger clientLogger = (Logger) LoggerFactory.getLogger(HarperClient.class);
        previousLevel = clientLogger.getLevel();
        clientLogger.setLevel(Level.TRACE);
    }

    @AfterEach
    void stop() throws Exception {
        root().detachAppender(logs);
        ((Logger) LoggerFactory.getLogger(HarperClient.class)).setLevel(previousLevel);
        server.shutdown();
    }

    // ---- helpers --------------------------------------------------------------------------------

    static HarperClient clientFor(String url, HarperClient.Timeouts timeouts) {
        return new HarperClient(url, MEMBER, USER, PASSWORD, BASE, timeouts);
    }

    static HarperClient.Timeouts readTimeout(Duration read) {
        return new HarperClient.Timeouts(Duration.ofSeconds(2), read);
    }

    static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Queues HarperDB's next answer. */
    void answer(int status, String body) {
        server.enqueue(new MockResponse().setResponseCode(status)
                .setHeader("Content-Type", "application/json; charset=utf-8").setBody(body));
    }

    void answerOk() {
        answer(200, "{\"message\":\"ok\"}");
    }

    /** The next request HarperDB received: an operation, POSTed as JSON to / with the client's Basic credentials. */
    RecordedRequest received() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/");
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + base64(USER + ":" + PASSWORD));
        return request;
    }

    /** The JSON body of the next request HarperDB received. */
    JsonNode sentBody() throws InterruptedException {
        return json(received().getBody().readUtf8());
    }

    /** Runs a call that must fail, checks the exception names the operation and member, and returns it. */
    HarperOperationException failure(Runnable call, Outcome outcome, String operation) {
        HarperOperationException e = catchThrowableOfType(HarperOperationException.class, call::run);
        assertThat(e).as("%s throws HarperOperationException", operation).isNotNull();
        assertThat(e.outcome()).isEqualTo(outcome);
        assertThat(e.operation()).isEqualTo(operation);
        assertThat(e.member()).isEqualTo(MEMBER);
        assertThat(e.getMessage()).contains(operation).contains(MEMBER).contains(outcome.name());
        return e;
    }

    /** Everything an exception could show: message, toString, the cause chain and the printed stack trace. */
    static String everythingShownBy(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n').append(t).append('\n');
        }
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return text.append(trace).toString();
    }

    /** Every captured log line, with its arguments and any attached throwable. */
    String everythingLogged() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : logs.list) {
            text.append(event.getLoggerName()).append(' ').append(event.getFormattedMessage()).append('\n');
            if (event.getArgumentArray() != null) {
                text.append(Arrays.deepToString(event.getArgumentArray())).append('\n');
            }
            text.append(event.getMDCPropertyMap()).append('\n');
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    static void assertNoSecretIn(String text) {
        for (String secret : SECRETS) {
            assertThat(text).doesNotContain(secret);
        }
    }

    static AddNodeRequest fullAddNode() {
        return AddNodeRequest.hostname("b.demo-hdb")
                .withVerifyTls(false)
                .withAuthorization(NodeAuthorization.basic(PEER_USER, PEER_PASSWORD))
                .withRetainAuthorization(true)
                .withSubscriptions(List.of(DOG_PUBLISHED, CAT_BOTH_WAYS));
    }

    // ---- what is sent ---------------------------------------------------------------------------

    @Nested
    class RequestBodies {
        @Test
        void addNodeWithEveryField() throws Exception {
            answer(200, "{\"message\":\"Successfully added 'wss://b.demo-hdb:9933' to cluster\"}");

            OperationReply reply = client.addNode(fullAddNode());

            assertThat(sentBody()).isEqualTo(json("""
                    {"operation":"add_node","hostname":"b.demo-hdb","verify_tls":false,
                     "authorization":{"username":"peer-admin","password":"p33r-s3cr3t-Pa55"},
                     "retain_authorization":true,
                     "subscriptions":[{"database":"data","table":"dog","subscribe":false,"publish":true},
                                      {"database":"data","table":"cat","subscribe":true,"publish":true}]}
                    """));
            assertThat(reply.message()).isEqualTo("Successfully added 'wss://b.demo-hdb:9933' to cluster");
        }

        @Test
        void addNodeByUrlWithAnAuthorizationHeader() throws Exception {
            answerOk();

            client.addNode(AddNodeRequest.url("wss://b.demo-hdb:9933")
                    .withVerifyTls(true)
                    .withAuthorization(NodeAuthorization.header(PEER_HEADER))
                    .withRetainAuthorization(false));

            assertThat(sentBody()).isEqualTo(json("""
                    {"operation":"add_node","url":"wss://b.demo-hdb:9933","verify_tls":true,
                     "authorization":"Basic cGVlci1hZG1pbjpwMzNyLXMzY3IzdC1QYTU1","retain_authorization":false}
                    """));
        }

        @Test
        void addNodeSendsOnlyTheFieldsGiven() throws Exception {
            answerOk();

            client.addNode(AddNodeRequest.hostname("b.demo-hdb"));

            assertThat(sentBody()).isEqualTo(json("{\"operation\":\"add_node\",\"hostname\":\"b.demo-hdb\"}"));
        }

        @Test
        void addNodeWithEmptySubscriptionsSendsAnEmptyList() throws Exception {
            answerOk();

            client.addNode(AddNodeRequest.hostname("b.demo-hdb").withSubscriptions(List.of()));

            assertThat(sentBody()).isEqualTo(json("{\"operation\":\"add_node\",\"hostname\":\"b.demo-hdb\",\"subscriptions\":[]}"));
        }

        @Test
        void updateNode() throws Exception {
            answer(200, "{\"message\":\"Successfully updated 'wss://b.demo-hdb:9933'\"}");

            client.updateNode(new UpdateNodeRequest("b.demo-hdb", List.of(DOG_PUBLISHED)));

            assertThat(sentBody()).isEqualTo(json("""
                    {"operation":"update_node","hostname":"b.demo-hdb",
                     "subscriptions":[{"database":"data","table":"dog","subscribe":false,"publish":true}]}
                    """));
        }

        @Test
        void updateNodeCarriesTheConnectionOfTheNodeLikeAddNode() throws Exception {
            answer(200, "{\"message\":\"Successfully updated 'wss://b.demo-hdb:9933'\"}");

            UpdateNodeRequest request = UpdateNodeRequest.of(fullAddNode(), List.of(DOG_PUBLISHED));
            client.updateNode(request);

            assertThat(sentBody()).isEqualTo(json("""
                    {"operation":"update_node","hostname":"b.demo-hdb","verify_tls":false,
                     "authorization":{"username":"peer-admin","password":"p33r-s3cr3t-Pa55"},
                     "retain_authorization":true,
                     "subscriptions":[{"database":"data","table":"dog","subscribe":false,"publish":true}]}
                    """));
            assertThat(request.toString()).doesNotContain("p33r-s3cr3t-Pa55");
        }

        @Test
        void updateNodeOfAUrlOnlyNodeNamesItByItsHostAndSendsTheUrl() throws Exception {
            answerOk();

            client.updateNode(UpdateNodeRequest.of(AddNodeRequest.url("wss://B.demo-hdb:9933"), List.of(DOG_PUBLISHED)));

            assertThat(sentBody()).isEqualTo(json("""
                    {"operation":"update_node","hostname":"b.demo-hdb","url":"wss://B.demo-hdb:9933",
                     "subscriptions":[{"database":"data","table":"dog","subscribe":false,"publish":true}]}
                    """));
        }

        @Test
        void removeNodeNamesTheNodeByHostnameNotName() throws Exception {
            answer(200, "{\"message\":\"Successfully removed 'b.demo-hdb' from cluster\"}");

            OperationReply reply = client.removeNode("b.demo-hdb");

            JsonNode body = sentBody();
            assertThat(body).isEqualTo(json("{\"operation\":\"remove_node\",\"hostname\":\"b.demo-hdb\"}"));
            assertThat(body.has("name")).as("the field 4.7.29 ignores, removing the receiving node instead").isFalse();
            assertThat(reply.message()).isEqualTo("Successfully removed 'b.demo-hdb' from cluster");
        }

        @Test
        void clusterStatus() throws Exception {
            answer(200, """
                    {"type":"cluster-status","node_name":"127.0.0.11","url":"wss://127.0.0.11:9933","is_enabled":true,
                     "connections":[{"name":"127.0.0.12","url":"wss://127.0.0.12:9933","replicates":true,
                       "subscriptions":null,"ca_info":{"issuer":"...","validTo":"..."},
                       "database_sockets":[{"database":"data","connected":true,"latency":0.7,"threadId":1,
                         "nodes":["127.0.0.12"],"lastReceivedVersion":0,"backPressurePercent":0,
                         "lastReceivedStatus":"Waiting"}]}]}
                    """);

            ClusterStatus status = client.clusterStatus();

            assertThat(sentBody()).isEqualTo(json("{\"operation\":\"cluster_status\"}"));
            assertThat(status.nodeName()).isEqualTo("127.0.0.11");
            assertThat(status.peer("127.0.0.12").orElseThrow().isConnected()).isTrue();
        }

        @Test
        void configureClusterSendsEachConnectionAsAnAddNode() throws Exception {
            answer(200, "{\"message\":\"Configure cluster complete.\",\"connections\":[]}");

            OperationReply reply = client.configureCluster(List.of(
                    fullAddNode(),
                    AddNodeRequest.url("wss://c.demo-hdb:9933").withAuthorization(NodeAuthorization.header(PEER_HEADER))));

            assertThat(sentBody()).isEqualTo(json("""
                    {"operation":"configure_cluster","connections":[
                      {"hostname":"b.demo-hdb","verify_tls":false,
                       "authorization":{"username":"peer-admin","password":"p33r-s3cr3t-Pa55"},
                       "retain_authorization":true,
                       "subscriptions":[{"database":"data","table":"dog","subscribe":false,"publish":true},
                                        {"database":"data","table":"cat","subscribe":true,"publish":true}]},
                      {"url":"wss://c.demo-hdb:9933","authorization":"Basic cGVlci1hZG1pbjpwMzNyLXMzY3IzdC1QYTU1"}]}
                    """));
            assertThat(reply.message()).isEqualTo("Configure cluster complete.");
        }

        @Test
        void setRoutesInBothForms() throws Exception {
            answer(200, """
                    {"message":"cluster routes successfully set",
                     "set":["wss://server-two:9925",{"hostname":"server-three","port":9930}],"skipped":[]}
                    """);

            RouteChange change = client.setRoutes(List.of(Route.of("wss://server-two:9925"), Route.of("server-three", 9930)));

            assertThat(sentBody()).isEqualTo(json("""
                    {"operation":"cluster_set_routes",
                     "routes":["wss://server-two:9925",{"hostname":"server-three","port":9930}]}
                    """));
            assertThat(change).isEqualTo(new RouteChange("cluster routes successfully set",
                    List.of(Route.of("wss://server-two:9925"), Route.of("server-three", 9930)), List.of()));
        }

        @Test
        void setRoutesReportsTheSkippedOnes() throws Exception {
            answer(200, "{\"message\":\"cluster routes successfully set\",\"set\":[],\"skipped\":[\"wss://server-two:9925\"]}");

            RouteChange change = client.setRoutes(List.of(Route.of("wss://server-two:9925")));

            assertThat(change.changed()).isEmpty();
            assertThat(change.skipped()).containsExactly(Route.of("wss://server-two:9925"));
        }

        @Test
        void getRoutesInBothForms() throws Exception {
            answer(200, "[\"wss://server-two:9925\",{\"hostname\":\"server-three\",\"port\":9930}]");

            List<Route> routes = client.getRoutes();

            assertThat(sentBody()).isEqualTo(json("{\"operation\":\"cluster_get_routes\"}"));
            assertThat(routes).containsExactly(Route.of("wss://server-two:9925"), Route.of("server-three", 9930));
        }

        @Test
        void getRoutesInEveryFormHarperDbAccepts() throws Exception {
            // 4.7.29 reads a route as {url}, a string, or {hostname|host, port}: all four may be in its config.
            answer(200, "[\"wss://a:9933\",{\"hostname\":\"b\",\"port\":9933},{\"host\":\"c\",\"port\":9933},{\"url\":\"wss://d:9933\"}]");

            List<Route> routes = client.getRoutes();

            assertThat(routes).extracting(Route::toString).containsExactly("wss://a:9933", "b:9933", "c:9933", "wss://d:9933");
            assertThat(routes.get(2)).isEqualTo(Route.of("c", 9933));
            assertThat(routes.get(3)).isEqualTo(Route.of("wss://d:9933"));
        }

        @Test
        void versionFromRegistrationInfoAsHarperDb4729AnswersIt() throws Exception {
            answer(200, "{\"version\":\"4.7.29\",\"deprecated\":true}");

            assertThat(client.version()).isEqualTo("4.7.29");
            assertThat(sentBody()).isEqualTo(json("{\"operation\":\"registration_info\"}"));
        }

        @Test
        void noVersionInTheAnswerIsNull() throws Exception {
            answer(200, "{\"message\":\"something else\"}");

            assertThat(client.version()).isNull();
        }

        @Test
        void getRoutesWhenThereAreNone() throws Exception {
            answer(200, "[]");

            assertThat(client.getRoutes()).isEmpty();
            assertThat(sentBody()).isEqualTo(json("{\"operation\":\"cluster_get_routes\"}"));
        }

        @Test
        void deleteRoutesInBothForms() throws Exception {
            answer(200, """
                    {"message":"cluster routes successfully deleted",
                     "deleted":[{"hostname":"server-three","port":9930}],"skipped":["wss://server-four:9925"]}
                    """);

            RouteChange change = client.deleteRoutes(List.of(Route.of("server-three", 9930), Route.of("wss://server-four:9925")));

            assertThat(sentBody()).isEqualTo(json("""
                    {"operation":"cluster_delete_routes",
                     "routes":[{"hostname":"server-three","port":9930},"wss://server-four:9925"]}
                    """));
            assertThat(change).isEqualTo(new RouteChange("cluster routes successfully deleted",
                    List.of(Route.of("server-three", 9930)), List.of(Route.of("wss://server-four:9925"))));
        }

        @Test
        void everyOperationCarriesTheBasicCredentials() throws Exception {
            for (int i = 0; i < 7; i++) {
                answer(200, "{\"message\":\"ok\",\"set\":[],\"deleted\":[],\"skipped\":[]}");
            }
            answer(200, "[]");

            client.addNode(fullAddNode());
            client.updateNode(new UpdateNodeRequest("b.demo-hdb", List.of()));
            client.removeNode("b.demo-hdb");
            client.clusterStatus();
            client.configureCluster(List.of(fullAddNode()));
            client.setRoutes(List.of(Route.of("b.demo-hdb")));
            client.deleteRoutes(List.of(Route.of("b.demo-hdb")));
            client.getRoutes();

            assertThat(server.getRequestCount()).isEqualTo(8);
            for (int i = 0; i < 8; i++) {
                received(); // asserts POST /, JSON and "Authorization: Basic base64(admin:s3cr3t-Pa55)"
            }
        }
    }

    @Nested
    class Health {
        @Test
        void healthIsAGetWithoutCredentials() throws Exception {
            server.enqueue(new MockResponse().setResponseCode(200).setBody("HarperDB is running."));

            assertThat(client.isHealthy()).isTrue();

            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.getMethod()).isEqualTo("GET");
            assertThat(request.getPath()).isEqualTo("/health");
            assertThat(request.getHeader("Authorization")).isNull();
        }

        @Test
        void anErrorStatusIsUnhealthy() {
            server.enqueue(new MockResponse().setResponseCode(503));

            assertThat(client.isHealthy()).isFalse();
        }

        @Test
        void anUnreachableMemberIsUnhealthyWithoutThrowing() throws Exception {
            assertThat(clientFor(closedPortUrl(), HarperClient.Timeouts.DEFAULT).isHealthy()).isFalse();
        }

        @Test
        void aMemberThatDoesNotAnswerInTimeIsUnhealthy() {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

            assertThat(clientFor(server.url("/").toString(), readTimeout(SHORT_READ)).isHealthy()).isFalse();
        }
    }

    // ---- how answers are classified -------------------------------------------------------------

    @Nested
    class Outcomes {
        @Test
        void successReturnsTheMessageAndTheBody() {
            answer(200, "{\"message\":\"Successfully added 'wss://b.demo-hdb:9933' to cluster\"}");

            OperationReply reply = client.addNode(AddNodeRequest.hostname("b.demo-hdb"));

            assertThat(reply.message()).isEqualTo("Successfully added 'wss://b.demo-hdb:9933' to cluster");
            assertThat(reply.body().get("message").asText()).isEqualTo(reply.message());
        }

        @Test
        void aNodeNameContainingAFailureWordIsStillASuccess() {
            answer(200, "{\"message\":\"Successfully added 'wss://failover-0.error-budget.demo-hdb:9933' to cluster\"}");

            OperationReply reply = client.addNode(AddNodeRequest.hostname("failover-0.error-budget.demo-hdb"));

            assertThat(reply.message()).contains("failover-0");
        }

        @Test
        void a200ReportingAnErrorOnTheTargetIsATargetFailure() {
            String message = "Successfully added 'wss://b:9933' to cluster but there was an error updating target node: connection refused";
            answer(200, "{\"message\":\"" + message + "\"}");

            HarperOperationException e = failure(() -> client.addNode(AddNodeRequest.hostname("b")), Outcome.TARGET_FAILURE, "add_node");

            assertThat(e.httpStatus()).isEqualTo(200);
            assertThat(e.serverMessage()).isEqualTo(message);
            assertThat(e.getMessage()).contains("error updating target node");
            assertThat(e.outcome().isTransient()).isTrue();
        }

        @Test
        void a200WithAnErrorFieldIsATargetFailure() {
            answer(200, "{\"error\":\"Error updating target node\"}");

            HarperOperationException e = failure(() -> client.updateNode(new UpdateNodeRequest("b", List.of())),
                    Outcome.TARGET_FAILURE, "update_node");

            assertThat(e.serverMessage()).isEqualTo("Error updating target node");
        }

        @Test
        void a400IsRefusedWithHarperDbsMessage() {
            answer(400, "{\"error\":\"X does not exist\"}");

            HarperOperationException e = failure(() -> client.removeNode("X"), Outcome.REFUSED, "remove_node");

            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.serverMessage()).isEqualTo("X does not exist");
            assertThat(e.getMessage()).isEqualTo("remove_node on demo-0 failed: REFUSED (HTTP 400): X does not exist");
            assertThat(e.outcome().isTransient()).isFalse();
        }

        @Test
        void a401IsUnauthorized() {
            answer(401, "{\"error\":\"Login failed\"}");

            HarperOperationException e = failure(() -> client.clusterStatus(), Outcome.UNAUTHORIZED, "cluster_status");

            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.serverMessage()).isEqualTo("Login failed");
            assertThat(e.outcome().isTransient()).isFalse();
        }

        @Test
        void a403IsForbidden() {
            answer(403, "{\"error\":\"This operation is restricted to super_user roles\"}");

            HarperOperationException e = failure(() -> client.addNode(AddNodeRequest.hostname("b")), Outcome.FORBIDDEN, "add_node");

            assertThat(e.httpStatus()).isEqualTo(403);
            assertThat(e.serverMessage()).contains("super_user");
            assertThat(e.outcome().isTransient()).isFalse();
        }

        @Test
        void a500IsAServerError() {
            answer(500, "{\"error\":\"Error signing certificate: connect ECONNREFUSED\"}");

            HarperOperationException e = failure(() -> client.addNode(AddNodeRequest.hostname("b")), Outcome.SERVER_ERROR, "add_node");

            assertThat(e.httpStatus()).isEqualTo(500);
            assertThat(e.serverMessage()).isEqualTo("Error signing certificate: connect ECONNREFUSED");
            assertThat(e.outcome().isTransient()).isTrue();
        }

        @Test
        void a503WithoutJsonIsAServerErrorWithItsText() {
            server.enqueue(new MockResponse().setResponseCode(503).setBody("Service Unavailable"));

            HarperOperationException e = failure(() -> client.clusterStatus(), Outcome.SERVER_ERROR, "cluster_status");

            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.serverMessage()).isEqualTo("Service Unavailable");
        }

        @Test
        void aClosedPortIsUnreachable() throws Exception {
            HarperClient unreachable = clientFor(closedPortUrl(), HarperClient.Timeouts.DEFAULT);

            HarperOperationException e = failure(() -> unreachable.addNode(AddNodeRequest.hostname("b")), Outcome.UNREACHABLE, "add_node");

            assertThat(e.httpStatus()).isZero();
            assertThat(e.getCause()).isNotNull();
            assertThat(e.outcome().isTransient()).isTrue();
        }

        @Test
        void noAnswerWithinTheReadTimeoutIsTimedOut() {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            HarperClient impatient = clientFor(server.url("/").toString(), readTimeout(SHORT_READ));

            long started = System.nanoTime();
            HarperOperationException e = failure(() -> impatient.clusterStatus(), Outcome.TIMED_OUT, "cluster_status");

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(e.httpStatus()).isZero();
            assertThat(e.outcome().isTransient()).isTrue();
        }

        @Test
        void aBodyDelayedBeyondTheReadTimeoutIsTimedOut() {
            server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"message\":\"late\"}")
                    .setBodyDelay(2, TimeUnit.SECONDS));
            HarperClient impatient = clientFor(server.url("/").toString(), readTimeout(SHORT_READ));

            failure(() -> impatient.removeNode("b"), Outcome.TIMED_OUT, "remove_node");
        }

        @Test
        void theReadTimeoutIsConfigurable() {
            server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"message\":\"late but fine\"}")
                    .setHeadersDelay(600, TimeUnit.MILLISECONDS));
            server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"message\":\"late again\"}")
                    .setHeadersDelay(600, TimeUnit.MILLISECONDS));

            assertThat(clientFor(server.url("/").toString(), readTimeout(Duration.ofSeconds(5))).removeNode("b").message())
                    .isEqualTo("late but fine");
            failure(() -> clientFor(server.url("/").toString(), readTimeout(SHORT_READ)).removeNode("b"),
                    Outcome.TIMED_OUT, "remove_node");
        }

        @Test
        void theDefaultTimeoutsAreSet() {
            assertThat(HarperClient.Timeouts.DEFAULT.connect()).isEqualTo(Duration.ofSeconds(5));
            assertThat(HarperClient.Timeouts.DEFAULT.read()).isEqualTo(Duration.ofSeconds(30));
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"message\":", "<html><body>Bad Gateway</body></html>", "", "   "})
        void aBodyThatIsNotJsonIsAMalformedReply(String body) {
            answer(200, body);

            HarperOperationException e = failure(() -> client.addNode(AddNodeRequest.hostname("b")), Outcome.MALFORMED_REPLY, "add_node");

            assertThat(e.httpStatus()).isEqualTo(200);
            assertThat(e.outcome().isTransient()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"node_name\":\"a\",\"connections\":\"none\"}",
                "{\"node_name\":\"a\",\"connections\":[{\"name\":\"b\",\"database_sockets\":{\"database\":\"data\"}}]}",
                "{\"node_name\":\"a\",\"connections\":[{\"name\":\"b\",\"database_sockets\":[{\"connected\":\"sometimes\"}]}]}",
                "[{\"node_name\":\"a\"}]"})
        void aClusterStatusOfAnUnexpectedShapeIsAMalformedReply(String body) {
            answer(200, body);

            HarperOperationException e = failure(() -> client.clusterStatus(), Outcome.MALFORMED_REPLY, "cluster_status");

            assertThat(e.serverMessage()).startsWith("unexpected cluster_status shape");
        }

        @Test
        void getRoutesAnsweringAnObjectIsAMalformedReply() {
            answer(200, "{\"routes\":[]}");

            failure(() -> client.getRoutes(), Outcome.MALFORMED_REPLY, "cluster_get_routes");
        }

        @Test
        void anInvalidRouteInAnAnswerIsAMalformedReplyOfThatOperation() {
            answer(200, "[{\"port\":9930}]");
            answer(200, "{\"message\":\"cluster routes successfully set\",\"set\":[\"\"],\"skipped\":[]}");
            answer(200, "{\"message\":\"cluster routes successfully deleted\",\"deleted\":[],\"skipped\":[{\"hostname\":\"b\",\"port\":0}]}");

            failure(() -> client.getRoutes(), Outcome.MALFORMED_REPLY, "cluster_get_routes");
            failure(() -> client.setRoutes(List.of(Route.of("b"))), Outcome.MALFORMED_REPLY, "cluster_set_routes");
            failure(() -> client.deleteRoutes(List.of(Route.of("b"))), Outcome.MALFORMED_REPLY, "cluster_delete_routes");
        }
    }

    @Nested
    class NoRetry {
        @Test
        void after500ExactlyOneRequestReachedTheServer() {
            answer(500, "{\"error\":\"boom\"}");
            answerOk(); // what a retry would have got

            failure(() -> client.addNode(AddNodeRequest.hostname("b")), Outcome.SERVER_ERROR, "add_node");

            assertThat(server.getRequestCount()).isEqualTo(1);
        }

        @Test
        void afterATimeoutExactlyOneRequestReachedTheServer() {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            answerOk();

            failure(() -> clientFor(server.url("/").toString(), readTimeout(SHORT_READ)).addNode(AddNodeRequest.hostname("b")),
                    Outcome.TIMED_OUT, "add_node");

            assertThat(server.getRequestCount()).isEqualTo(1);
        }

        @Test
        void aClusterStatusUnansweredAfterTheFirstTryIsSentOnceMoreAndItsAnswerReturned() {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));     // 4.7.29: overlapped by another caller
            answer(200, "{\"node_name\":\"a\",\"connections\":[]}");

            long started = System.nanoTime();
            ClusterStatus status = client.clusterStatus();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(status.nodeName()).isEqualTo("a");
            assertThat(server.getRequestCount()).isEqualTo(2);
            assertThat(took).as("the first try is given up after %s, not the 30 s read timeout", HarperClient.CLUSTER_STATUS_FIRST_TRY)
                    .isGreaterThanOrEqualTo(HarperClient.CLUSTER_STATUS_FIRST_TRY).isLessThan(HarperClient.CLUSTER_STATUS_FIRST_TRY.plusSeconds(5));
        }

        @Test
        void aClusterStatusUnansweredTwiceIsTimedOutAfterTwoRequests() {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            answerOk();
            HarperClient fourSeconds = clientFor(server.url("/").toString(), readTimeout(HarperClient.CLUSTER_STATUS_FIRST_TRY.plusSeconds(1)));

            failure(fourSeconds::clusterStatus, Outcome.TIMED_OUT, "cluster_status");

            assertThat(server.getRequestCount()).isEqualTo(2);
        }

        @Test
        void aClusterStatusWithAReadTimeoutNoLongerThanTheFirstTryIsSentOnce() {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            answerOk();

            failure(() -> clientFor(server.url("/").toString(), readTimeout(SHORT_READ)).clusterStatus(), Outcome.TIMED_OUT, "cluster_status");

            assertThat(server.getRequestCount()).isEqualTo(1);
        }

        @Test
        void aClusterStatusRefusedOrFailingIsNotSentAgain() {
            answer(500, "{\"error\":\"boom\"}");
            answerOk();

            failure(client::clusterStatus, Outcome.SERVER_ERROR, "cluster_status");

            assertThat(server.getRequestCount()).isEqualTo(1);
        }

        @Test
        void afterAKeptAliveConnectionDroppedTheRequestIsNotSentAgain() {
            answerOk(); // opens a connection that OkHttp keeps alive and reuses for the next call
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
            answerOk(); // what OkHttp's own retry on a new connection would have got

            client.clusterStatus();
            HarperOperationException e = catchThrowableOfType(HarperOperationException.class,
                    () -> client.addNode(AddNodeRequest.hostname("b")));

            assertThat(e).isNotNull();
            assertThat(e.operation()).isEqualTo("add_node");
            assertThat(e.outcome().isTransient()).isTrue();
            assertThat(server.getRequestCount()).isEqualTo(2);
        }
    }

    // ---- secrets --------------------------------------------------------------------------------

    @Nested
    class Secrets {
        /** Runs a failing add_node that carries the peer's credentials, and checks nothing shows a secret. */
        void assertFailureShowsNoSecret(Consumer<MockWebServer> answer, HarperClient client, Outcome outcome) {
            answer.accept(server);

            HarperOperationException e = failure(() -> client.addNode(fullAddNode()), outcome, "add_node");

            assertNoSecretIn(everythingShownBy(e));
            assertNoSecretIn(everythingLogged());
        }

        @ParameterizedTest
        @ValueSource(ints = {400, 401, 403, 500, 503})
        void anErrorStatusShowsNoSecret(int status) {
            Outcome outcome = switch (status) {
                case 400 -> Outcome.REFUSED;
                case 401 -> Outcome.UNAUTHORIZED;
                case 403 -> Outcome.FORBIDDEN;
                default -> Outcome.SERVER_ERROR;
            };
            assertFailureShowsNoSecret(s -> answer(status, "{\"error\":\"Login failed\"}"), client, outcome);
        }

        @Test
        void aTargetFailureShowsNoSecret() {
            assertFailureShowsNoSecret(s -> answer(200, "{\"message\":\"Successfully added 'wss://b:9933' to cluster "
                    + "but there was an error updating target node: connection refused\"}"), client, Outcome.TARGET_FAILURE);
        }

        @Test
        void aMalformedReplyShowsNoSecret() {
            assertFailureShowsNoSecret(s -> answer(200, "not json"), client, Outcome.MALFORMED_REPLY);
        }

        @Test
        void aTimeoutShowsNoSecret() {
            assertFailureShowsNoSecret(s -> s.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)),
                    clientFor(server.url("/").toString(), readTimeout(SHORT_READ)), Outcome.TIMED_OUT);
        }

        @Test
        void anUnreachableMemberShowsNoSecret() throws Exception {
            assertFailureShowsNoSecret(s -> { }, clientFor(closedPortUrl(), HarperClient.Timeouts.DEFAULT), Outcome.UNREACHABLE);
        }

        @Test
        void aSuccessLogsTheOperationAndMemberButNoSecret() {
            answer(200, "{\"message\":\"Successfully added 'wss://b.demo-hdb:9933' to cluster\"}");

            client.addNode(fullAddNode());

            assertThat(everythingLogged()).contains("add_node").contains(MEMBER);
            assertNoSecretIn(everythingLogged());
        }

        @Test
        void requestsAndAuthorizationsDoNotShowTheirSecrets() {
            assertNoSecretIn(fullAddNode().toString());
            assertNoSecretIn(AddNodeRequest.url("wss://b:9933").withAuthorization(NodeAuthorization.header(PEER_HEADER)).toString());
            assertNoSecretIn(NodeAuthorization.basic(PEER_USER, PEER_PASSWORD).toString());
            assertNoSecretIn(NodeAuthorization.header(PEER_HEADER).toString());
            assertThat(NodeAuthorization.basic(PEER_USER, PEER_PASSWORD).toString()).contains(PEER_USER);
        }

        @Test
        void anInvalidRequestShowsNoSecret() {
            AddNodeRequest noIdentity = new AddNodeRequest(null, null, false,
                    NodeAuthorization.basic(PEER_USER, PEER_PASSWORD), true, null);

            InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> client.addNode(noIdentity));

            assertThat(e).isNotNull();
            assertNoSecretIn(everythingShownBy(e));
        }
    }

    // ---- requests refused before sending --------------------------------------------------------

    @Nested
    class InvalidRequests {
        /** The call is refused with a clear message, and nothing reached HarperDB. */
        void refused(Runnable call, String... messageParts) {
            InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call::run);

            assertThat(e).as("refused with InvalidRequestException").isNotNull();
            assertThat(e.getMessage()).contains(messageParts);
            assertThat(server.getRequestCount()).as("requests that reached the server").isZero();
        }

        @Test
        void addNodeWithoutHostnameOrUrl() {
            refused(() -> client.addNode(new AddNodeRequest(null, null, false, null, null, null)), "hostname or a url");
            refused(() -> client.addNode(AddNodeRequest.hostname(" ")), "hostname or a url");
            refused(() -> client.addNode(AddNodeRequest.url("")), "hostname or a url");
        }

        @Test
        void addNodeWithAnIncompleteSubscription() {
            refused(() -> client.addNode(AddNodeRequest.hostname("b").withSubscriptions(
                    List.of(new Subscription(null, "dog", true, true)))), "lacks database");
            refused(() -> client.addNode(AddNodeRequest.hostname("b").withSubscriptions(
                    List.of(DOG_PUBLISHED, new Subscription("data", " ", true, true)))), "lacks table");
            refused(() -> client.addNode(AddNodeRequest.hostname("b").withSubscriptions(
                    List.of(new Subscription("data", "dog", null, true)))), "data.dog", "lacks subscribe");
            refused(() -> client.addNode(AddNodeRequest.hostname("b").withSubscriptions(
                    List.of(new Subscription("data", "dog", true, null)))), "data.dog", "lacks publish");
        }

        @Test
        void addNodeWithAnEmptySubscriptionEntry() {
            refused(() -> client.addNode(new AddNodeRequest("b", null, null, null, null, Arrays.asList(DOG_PUBLISHED, null))),
                    "subscription", "empty");
            refused(() -> client.addNode(AddNodeRequest.hostname("b").withSubscriptions(Arrays.asList(DOG_PUBLISHED, null))),
                    "subscription", "empty");
        }

        @Test
        void updateNodeWithoutHostname() {
            refused(() -> client.updateNode(new UpdateNodeRequest(null, List.of(DOG_PUBLISHED))), "update_node", "hostname");
            refused(() -> client.updateNode(new UpdateNodeRequest("  ", List.of(DOG_PUBLISHED))), "update_node", "hostname");
        }

        @Test
        void updateNodeWithoutSubscriptions() {
            refused(() -> client.updateNode(new UpdateNodeRequest("b", null)), "update_node of b", "subscriptions");
        }

        @Test
        void updateNodeWithAnIncompleteOrEmptySubscription() {
            refused(() -> client.updateNode(new UpdateNodeRequest("b", List.of(new Subscription("data", "dog", true, null)))),
                    "lacks publish");
            refused(() -> client.updateNode(new UpdateNodeRequest("b", Arrays.asList(DOG_PUBLISHED, null))),
                    "subscription", "empty");
        }

        @Test
        void removeNodeWithoutHostname() {
            refused(() -> client.removeNode(null), "remove_node", "hostname");
            refused(() -> client.removeNode(""), "remove_node", "hostname");
            refused(() -> client.removeNode(" \t"), "remove_node", "hostname");
        }

        @Test
        void configureClusterWithoutConnections() {
            refused(() -> client.configureCluster(null), "configure_cluster", "at least one");
            refused(() -> client.configureCluster(List.of()), "configure_cluster", "at least one");
        }

        @Test
        void configureClusterWithAnInvalidEntry() {
            refused(() -> client.configureCluster(List.of(fullAddNode(), AddNodeRequest.hostname(""))), "hostname or a url");
            refused(() -> client.configureCluster(List.of(AddNodeRequest.hostname("b").withSubscriptions(
                    List.of(new Subscription("data", null, true, true))))), "lacks table");
            refused(() -> client.configureCluster(Arrays.asList(fullAddNode(), null)), "configure_cluster", "empty");
        }

        @Test
        void routesOperationsWithoutRoutes() {
            refused(() -> client.setRoutes(List.of()), "cluster_set_routes", "at least one route");
            refused(() -> client.setRoutes(null), "cluster_set_routes", "at least one route");
            refused(() -> client.deleteRoutes(List.of()), "cluster_delete_routes", "at least one route");
            refused(() -> client.deleteRoutes(null), "cluster_delete_routes", "at least one route");
        }

        @Test
        void routesOperationsWithAnEmptyEntry() {
            refused(() -> client.setRoutes(Arrays.asList(Route.of("b"), null)), "cluster_set_routes", "empty");
            refused(() -> client.deleteRoutes(Arrays.asList(null, Route.of("b"))), "cluster_delete_routes", "empty");
        }

        @Test
        void routesOperationsWithABlankRoute() {
            refused(() -> client.setRoutes(List.of(Route.of(" "))), "route must not be empty");
            refused(() -> client.deleteRoutes(List.of(Route.of(""))), "route must not be empty");
        }

        @Test
        void routesOperationsWithAPortOutOfRange() {
            refused(() -> client.setRoutes(List.of(Route.of("b", 0))), "route b", "port 0", "1..65535");
            refused(() -> client.setRoutes(List.of(Route.of("b", 70000))), "route b", "port 70000");
            refused(() -> client.deleteRoutes(List.of(Route.of("b", 0))), "port 0");
            refused(() -> client.deleteRoutes(List.of(Route.of("b", 70000))), "port 70000");
        }

        @Test
        void basicAuthorizationWithoutUserOrPassword() {
            refused(() -> client.addNode(AddNodeRequest.hostname("b").withAuthorization(NodeAuthorization.basic(null, PEER_PASSWORD))),
                    "username and a password");
            refused(() -> NodeAuthorization.basic(" ", PEER_PASSWORD), "username and a password");
            refused(() -> NodeAuthorization.basic(PEER_USER, null), "username and a password");
            refused(() -> NodeAuthorization.basic(PEER_USER, ""), "username and a password");
            refused(() -> NodeAuthorization.basic(PEER_USER, "  "), "username and a password");
        }

        @Test
        void anEmptyAuthorizationHeader() {
            refused(() -> NodeAuthorization.header(null), "authorization header");
            refused(() -> NodeAuthorization.header(" "), "authorization header");
        }

        @Test
        void anOperationsUrlThatIsNotHttp() {
            refused(() -> clientFor("demo-0.demo-hdb:9925", HarperClient.Timeouts.DEFAULT), "demo-0", "not an http(s) URL");
        }
    }

    static String closedPortUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/";
    }
}
