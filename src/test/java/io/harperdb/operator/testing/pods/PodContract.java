package io.harperdb.operator.testing.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.reconciler.HarperClientFactory;
import io.harperdb.operator.resources.MemberAddressResolver;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A whole user's setup on one machine: the mock API server with the CRDs, the operator as Main runs it
 * (pods at their stable DNS names, which the {@link PodNetwork} resolves), and the {@link PodKubelet}
 * running what the operator asks for. The test acts as the user through {@link #user()}.
 */
public final class PodContract implements AutoCloseable {
    public static final String NAMESPACE = "default";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockKubernetes kubernetes;
    private final KubernetesClient user;
    private final PodNetwork network;
    private final PodKubelet kubelet;
    private final HarperOperationLog harperCalls = new HarperOperationLog();
    private final RunningOperator operator;
    private final OkHttpClient http;

    public PodContract(Path dir) {
        kubernetes = new MockKubernetes();
        user = kubernetes.newUserClient();
        network = PodNetwork.fromSystemProperties(dir.resolve("hosts"));
        kubelet = new PodKubelet(user, NAMESPACE, network, dir.resolve("kubelet"), RunningOperator.SIDECAR_IMAGE);
        OkHttpClient base = harperCalls.client().newBuilder().dns(network.dns()).build();
        operator = new RunningOperator(kubernetes, new HarperClientFactory(RunningOperator.TEST_TIMEOUTS, base),
                MemberAddressResolver.stableDns());
        http = new OkHttpClient.Builder().dns(network.dns()).readTimeout(Duration.ofSeconds(30)).build();
    }

    public KubernetesClient user() {
        return user;
    }

    public PodKubelet kubelet() {
        return kubelet;
    }

    public HarperOperationLog harperCalls() {
        return harperCalls;
    }

    public MockKubernetes kubernetes() {
        return kubernetes;
    }

    /** {@code kubectl apply -f file} into the default namespace: every document created as written. */
    public List<HasMetadata> apply(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<HasMetadata> items = user.load(in).items();
            return items.stream().map(item -> user.resource(item).inNamespace(NAMESPACE).create()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The README's {@code kubectl create secret generic NAME --from-literal=username=admin
     * --from-literal=password="$(openssl rand -hex 16)"}; answers the password.
     */
    public String createAdminSecret(String name) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        createSecret(name, "admin", password);
        return password;
    }

    public void createSecret(String name, String username, String password) {
        Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withStringData(Map.of("username", username, "password", password)).build();
        // The API server stores stringData as data; the mock server keeps it as given, so encode it here.
        secret.setData(Map.of("username", encode(username), "password", encode(password)));
        secret.setStringData(null);
        user.resource(secret).create();
    }

    public HarperCluster cluster(String name) {
        return user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName(name).get();
    }

    /** The DNS name of a managed pod, as its REPLICATION_HOSTNAME says. */
    public String podHost(String pod, String cluster) {
        return pod + "." + cluster + "-hdb." + NAMESPACE + ".svc";
    }

    /** Sends one operation to the Operations API at {@code operationsUrl} (http or https, self-signed accepted). */
    public JsonNode call(String operationsUrl, String username, String password, Map<String, ?> operation) {
        try {
            Request request = new Request.Builder().url(operationsUrl)
                    .header("Authorization", Credentials.basic(username, password))
                    .post(RequestBody.create(JSON.writeValueAsString(operation), MediaType.get("application/json")))
                    .build();
            try (Response response = client(operationsUrl).newCall(request).execute()) {
                String body = response.body() == null ? "" : response.body().string();
                if (!response.isSuccessful()) {
                    throw new IllegalStateException(operationsUrl + " answered " + response.code() + " " + body + " to " + operation.get("operation"));
                }
                return JSON.readTree(body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(operationsUrl + ": " + e.getMessage(), e);
        }
    }

    private OkHttpClient client(String url) {
        if (!url.startsWith("https:")) {
            return http;
        }
        // HarperDB's self-signed certificate on an external host's https Operations API.
        javax.net.ssl.X509TrustManager trustAll = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[]{trustAll}, new SecureRandom());
            return http.newBuilder().sslSocketFactory(context.getSocketFactory(), trustAll).hostnameVerifier((h, s) -> true).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return java.util.Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        try {
            operator.close();
        } finally {
            try {
                kubelet.close();
            } finally {
                kubernetes.close();
            }
        }
    }
}
