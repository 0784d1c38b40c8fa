package io.harperdb.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * Records every Operations API call the operator sends to HarperDB (member address, operation name, scheme and
 * whether it carried Basic credentials), through an interceptor on the OkHttpClient its clients derive from.
 */
public final class HarperOperationLog implements Interceptor {
    /** Operations that change nothing on HarperDB. */
    public static final Set<String> READS = Set.of("cluster_status", "cluster_get_routes", "search_by_value", "health", "registration_info");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param scheme             http or https
     * @param basicAuthorization whether the request carried an {@code Authorization: Basic} header (its value is not kept)
     * @param at                 when it was sent
     */
    public record Call(String host, String operation, JsonNode body, String scheme, boolean basicAuthorization, Instant at) {
        public boolean isWrite() {
            return !READS.contains(operation);
        }

        /** A credential that crossed the network in clear. */
        public boolean basicInClear() {
            return basicAuthorization && "http".equals(scheme);
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Runnable> afterAnswer = new ConcurrentHashMap<>();
    private volatile boolean severed;
    private volatile AnswerRewriter rewriter;

    /** What a test makes of HarperDB's answer before the operator reads it: a fault HarperDB cannot be made to show. */
    @FunctionalInterface
    public interface AnswerRewriter {
        /** @return the body the operator reads instead of {@code body} */
        String rewrite(String host, String operation, String body);
    }

    public OkHttpClient client() {
        return new OkHttpClient.Builder().addInterceptor(this).build();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String operation = "health";
        JsonNode body = null;
        if (request.body() != null) {
            Buffer buffer = new Buffer();
            request.body().writeTo(buffer);
            body = MAPPER.readTree(buffer.readUtf8());
            operation = body.path("operation").asText();
        }
        if (severed) {
            throw new IOException("the connection to HarperDB is gone (the test cut it)");
        }
        String authorization = request.header("Authorization");
        calls.add(new Call(request.url().host(), operation, body, request.url().scheme(),
                authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6), Instant.now()));
        Response response = chain.proceed(request);
        Runnable action = afterAnswer.remove(operation);
        if (action != null) {
            action.run();
        }
        AnswerRewriter rewrite = rewriter;
        if (rewrite != null && response.body() != null) {
            okhttp3.MediaType type = response.body().contentType();
            String rewritten = rewrite.rewrite(request.url().host(), operation, response.body().string());
            return response.newBuilder().body(okhttp3.ResponseBody.create(rewritten, type)).build();
        }
        return response;
    }

    /**
     * Runs {@code action} once, on the calling thread, right after HarperDB answered the first call of
     * {@code operation} from now on and before the operator reads the answer.
     */
    public void onceAnswered(String operation, Runnable action) {
        afterAnswer.put(operation, action);
    }

    /** Every later answer passes through {@code rewriter}; null stops it. */
    public void rewriteAnswers(AnswerRewriter rewriter) {
        this.rewriter = rewriter;
    }

    /** Every later call fails as if the network were gone: what a killed process sends no more. */
    public void sever() {
        severed = true;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> writes() {
        return calls.stream().filter(Call::isWrite).toList();
    }

    public void clear() {
        calls.clear();
    }
}
