package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import okhttp3.Credentials;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets by reference only (see {@link RoundSecrets}): the operator reads the Secrets that its resources
 * name, each with a GET by name, afresh each round; it neither lists nor watches Secrets, so it caches
 * none and needs no such grant.
 */
class SecretsByReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockKubernetes kubernetes;
    private KubernetesClient user;

    @BeforeEach
    void start() {
        kubernetes = new MockKubernetes();
        user = kubernetes.newUserClient();
    }

    @AfterEach
    void stop() {
        user.close();
        kubernetes.close();
    }

    @Test
    void aChangedPasswordIsUsedAtTheNextRoundAndNoSecretIsListedOrWatched() throws Exception {
        Set<String> authorizations = new CopyOnWriteArraySet<>();
        MockWebServer harper = standIn("east-1.example.com", authorizations);
        try (RunningOperator operator = new RunningOperator(kubernetes)) {
            user.resource(Resources.secret("east-1-admin", "admin", "first-password")).create();
            user.resource(Resources.secret("unrelated", "someone", "not-for-the-operator")).create();
            user.resource(Resources.cluster("demo")).create();   // pollInterval 2s
            user.resource(Resources.node("east-1", "demo", "east-1.example.com", harper.url("/").toString(), "east-1-admin")).create();

            await("the first password used").atMost(Duration.ofSeconds(30))
                    .until(() -> authorizations.contains(Credentials.basic("admin", "first-password")));

            user.secrets().inNamespace(NAMESPACE).withName("east-1-admin").edit(s -> {
                s.setData(null);
                s.setStringData(Map.of("username", "admin", "password", "second-password"));
                return s;
            });
            await("the changed password used, by the next rounds").atMost(Duration.ofSeconds(30))
                    .until(() -> authorizations.contains(Credentials.basic("admin", "second-password")));
        } finally {
            harper.shutdown();
        }

        List<MockKubernetes.Request> secretRequests = kubernetes.requests().stream().filter(r -> r.path().contains("/secrets")).toList();
        assertThat(secretRequests).as("the operator reads the named Secret").isNotEmpty();
        assertThat(secretRequests).as("only GETs by name: no list, no watch")
                .allSatisfy(r -> {
                    assertThat(r.method()).isEqualTo("GET");
                    assertThat(r.path()).matches("/api/v1/namespaces/" + NAMESPACE + "/secrets/[^/?]+");
                });
        assertThat(secretRequests).as("a Secret nothing names is never read").noneMatch(r -> r.path().endsWith("/unrelated"));
    }

    @Test
    void aRoundReadsEachSecretOnceAndLooksAgainForOneNotFound() {
        user.resource(Resources.secret("shared-admin", "admin", "pw")).create();
        RoundSecrets round = new RoundSecrets(kubernetes.client(), NAMESPACE);
        kubernetes.clearRequests();

        for (int i = 0; i < 3; i++) {
            assertThat(round.apply("shared-admin")).map(Secret::getMetadata).map(m -> m.getName()).contains("shared-admin");
        }
        assertThat(round.apply("generated-admin")).isEmpty();
        user.resource(Resources.secret("generated-admin", "admin", "pw")).create();
        assertThat(round.apply("generated-admin")).as("created during the round, as the generated admin Secret is").isPresent();

        assertThat(kubernetes.requests()).containsExactly(
                new MockKubernetes.Request("GET", "/api/v1/namespaces/" + NAMESPACE + "/secrets/shared-admin"),
                new MockKubernetes.Request("GET", "/api/v1/namespaces/" + NAMESPACE + "/secrets/generated-admin"),
                new MockKubernetes.Request("GET", "/api/v1/namespaces/" + NAMESPACE + "/secrets/generated-admin"));
        assertThat(round.toString()).doesNotContain("pw");
    }

    /** A HarperDB Operations API that accepts everything and records the Authorization header of each request. */
    private static MockWebServer standIn(String nodeName, Set<String> authorizations) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String authorization = request.getHeader("Authorization");
                if (authorization != null) {
                    authorizations.add(authorization);
                }
                String operation;
                try {
                    operation = JSON.readTree(request.getBody().readUtf8()).path("operation").asText();
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(400).setBody("{\"error\":\"not JSON\"}");
                }
                String body = switch (operation) {
                    case "cluster_status" -> "{\"node_name\":\"" + nodeName + "\",\"is_enabled\":true,\"connections\":[]}";
                    case "search_by_value", "cluster_get_routes" -> "[]";
                    default -> "{\"message\":\"Successfully completed " + operation + "\"}";
                };
                return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
            }
        });
        server.start();
        return server;
    }
}
