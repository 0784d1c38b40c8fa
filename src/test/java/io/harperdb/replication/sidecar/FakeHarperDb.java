package io.harperdb.replication.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Credentials;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * HarperDB's Operations API stood in by MockWebServer: GET /health, and POST / answering
 * cluster_status with whatever the test sets; every operation sent is recorded.
 */
final class FakeHarperDb implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final MockWebServer server = new MockWebServer();
    final List<String> operations = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    volatile boolean healthy = true;
    volatile String clusterStatus = "{\"node_name\":\"127.0.0.22\",\"is_enabled\":true,\"connections\":[]}";
    volatile String acceptedAuthorization;
    /** When set, cluster_status waits until it is counted down: HarperDB hanging. */
    volatile CountDownLatch hang;

    FakeHarperDb(String username, String password) throws IOException {
        accept(username, password);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                return answer(request);
            }
        });
        server.start();
    }

    String url() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    void accept(String username, String password) {
        acceptedAuthorization = Credentials.basic(username, password);
    }

    private MockResponse answer(RecordedRequest request) throws InterruptedException {
        if ("GET".equals(request.getMethod()) && "/health".equals(request.getPath())) {
            return healthy ? new MockResponse().setBody("HarperDB is running.") : new MockResponse().setResponseCode(503);
        }
        if (!"POST".equals(request.getMethod()) || !"/".equals(request.getPath())) {
            return new MockResponse().setResponseCode(404);
        }
        String operation;
        try {
            JsonNode body = MAPPER.readTree(request.getBody().readUtf8());
            operation = body.path("operation").asText();
        } catch (IOException e) {
            return new MockResponse().setResponseCode(400).setBody("{\"error\":\"not JSON\"}");
        }
        operations.add(operation);
        String authorization = request.getHeader("Authorization");
        authorizations.add(String.valueOf(authorization));
        if (!acceptedAuthorization.equals(authorization)) {
            return json(401, "{\"error\":\"Login failed\"}");
        }
        if (!"cluster_status".equals(operation)) {
            return json(400, "{\"error\":\"unexpected operation " + operation + "\"}");
        }
        CountDownLatch latch = hang;
        if (latch != null) {
            latch.await(30, TimeUnit.SECONDS);
        }
        return json(200, clusterStatus);
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    @Override
    public void close() throws IOException {
        CountDownLatch latch = hang;
        if (latch != null) {
            latch.countDown();
        }
        server.shutdown();
    }
}
