package io.harperdb.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy in front of one HarperDB instance's Operations API that records every operation it
 * forwards. It sees the calls of an operator running in another process, which an interceptor in this
 * JVM cannot. An action can be attached to an operation: it runs after HarperDB answered and before the
 * answer goes back, e.g. to kill the operator between HarperDB doing a step and the operator learning it.
 */
public final class HarperOperationsProxy implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FORWARDED_HEADERS = List.of("Authorization", "Content-Type");

    private final HttpServer server;
    private final URI target;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<HarperOperationLog.Call> calls;
    private final Map<String, Runnable> afterAnswer = new ConcurrentHashMap<>();

    /** Forwards to {@code operationsUrl}; calls are appended to {@code calls} (several proxies may share one list). */
    public HarperOperationsProxy(String operationsUrl, List<HarperOperationLog.Call> calls) {
        this.target = URI.create(operationsUrl);
        this.calls = calls;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "harper-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::forward);
        server.start();
    }

    public static List<HarperOperationLog.Call> newLog() {
        return new CopyOnWriteArrayList<>();
    }

    /** Where the operator should send this instance's operations. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Runs {@code action} once, after HarperDB answered the next {@code operation} and before the caller gets the answer. */
    public void onceAnswered(String operation, Runnable action) {
        afterAnswer.put(operation, action);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = "health";
            JsonNode json = null;
            if (body.length > 0) {
                json = MAPPER.readTree(body);
                operation = json.path("operation").asText();
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            calls.add(new HarperOperationLog.Call(target.getHost(), operation, json, "http",
                    authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6), Instant.now()));
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getRawPath()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : FORWARDED_HEADERS) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) request.header(header, value);
            }
            HttpResponse<byte[]> answer;
            try {
                answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            Runnable action = afterAnswer.remove(operation);
            if (action != null) {
                action.run();
            }
            answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
