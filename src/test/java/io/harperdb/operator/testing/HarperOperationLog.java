package io.harperdb.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * Records every Operations API call the operator sends to HarperDB (member address and operation
 * name), through an interceptor on the OkHttpClient its clients derive from.
 */
public final class HarperOperationLog implements Interceptor {
    /** Operations that change nothing on HarperDB. */
    public static final Set<String> READS = Set.of("cluster_status", "cluster_get_routes", "search_by_value", "health", "registration_info");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public record Call(String host, String operation, JsonNode body) {
        public boolean isWrite() {
            return !READS.contains(operation);
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

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
        calls.add(new Call(request.url().host(), operation, body));
        return chain.proceed(request);
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
