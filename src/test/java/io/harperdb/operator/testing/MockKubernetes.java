package io.harperdb.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import java.util.function.Function;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The Fabric8 mock API server in CRUD mode, with the project's generated CRDs created first (so that
 * the status subresource is emulated), and a log of every request the client sends.
 */
public final class MockKubernetes implements AutoCloseable {
    /** One request the client sent: its HTTP method and path with query. */
    public record Request(String method, String path) {
        /** A watch or a read: changes nothing. */
        public boolean isRead() {
            return method.equals("GET");
        }
    }

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> writeBodies = new CopyOnWriteArrayList<>();
    /** Path endings whose next PATCHes are refused with 409 Conflict, and how many more. */
    private final Map<String, AtomicInteger> conflicts = new ConcurrentHashMap<>();
    private final List<String> refusedPatches = new CopyOnWriteArrayList<>();
    /** The CRD of cert-manager's Certificates; until created, its group answers 404 (see the dispatcher). */
    static final String CERT_MANAGER_CRD = "certificates.cert-manager.io";

    public MockKubernetes() {
        this(namespace -> List.of());
    }

    /**
     * @param rulesIn what a SelfSubjectRulesReview answers in a namespace, as the API server computes it from
     *                the RBAC bound to the caller (JOSDK's leader election asks one before it takes its Lease;
     *                the CRUD mode alone would store the review and answer it without a status)
     */
    public MockKubernetes(Function<String, List<ResourceRule>> rulesIn) {
        List<CustomResourceDefinition> crds = readCrds();
        ApiDiscovery discovery = new ApiDiscovery(crds);
        // The CRUD dispatcher, plus the discovery documents kubectl asks for first and the rules reviews.
        KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher(List.of()) {
            @Override
            public MockResponse handlePatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
                for (Map.Entry<String, AtomicInteger> refusal : conflicts.entrySet()) {
                    if (request.getPath().split("\\?")[0].endsWith(refusal.getKey()) && refusal.getValue().getAndDecrement() > 0) {
                        refusedPatches.add(request.getPath());
                        return new MockResponse().setResponseCode(409).setHeader("Content-Type", "application/json")
                                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Conflict\","
                                        + "\"message\":\"the object has been modified; please apply your changes to the latest version\",\"code\":409}");
                    }
                }
                return super.handlePatch(request);
            }

            /**
             * The mock stores objects of any type, where an API server answers 404 for a type no CRD defines: emulated for
             * cert-manager's group (the operator must work without cert-manager), until a test installs its CRD.
             */
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath();
                if (path.startsWith("/apis/cert-manager.io/")
                        && super.handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + CERT_MANAGER_CRD).code() != 200) {
                    return new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
                            .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
                                    + "\"message\":\"the server could not find the requested resource\",\"code\":404}");
                }
                return super.dispatch(request);
            }

            @Override
            public MockResponse handleGet(String path) {
                return discovery.answer(path)
                        .map(json -> new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(json))
                        .orElseGet(() -> super.handleGet(path));
            }

            @Override
            public MockResponse handleCreate(RecordedRequest request) {
                if (request.getPath().contains("/selfsubjectrulesreviews")) {
                    return rulesReview(request, rulesIn);
                }
                return super.handleCreate(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        Interceptor recorder = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                String query = request.uri().getRawQuery();
                Request recorded = new Request(request.method(), request.uri().getRawPath() + (query == null ? "" : "?" + query));
                requests.add(recorded);
                if (!recorded.isRead()) {
                    writeBodies.add(recorded + " " + request.bodyString());
                }
            }
        };
        client = server.createClient(b -> b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("recorder", recorder)));
        crds.forEach(crd -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
        requests.clear();
    }

    private static MockResponse rulesReview(RecordedRequest request, Function<String, List<ResourceRule>> rulesIn) {
        SelfSubjectRulesReview review = Serialization.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
        review.setStatus(new SubjectRulesReviewStatusBuilder()
                .withResourceRules(rulesIn.apply(review.getSpec().getNamespace()))
                .withIncomplete(false)
                .build());
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(review));
    }

    private static List<CustomResourceDefinition> readCrds() {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CRDs in crds/", e);
        }
        return crds;
    }

    public KubernetesClient client() {
        return client;
    }

    /** The API server's URL, for a kubeconfig. */
    public String url() {
        return client.getMasterUrl().toString();
    }

    /**
     * A new client on the same server whose requests are not recorded: the test acting as a user, so that
     * {@link #requests()} holds the operator's only (ChartRbac checks those against the chart's RBAC).
     */
    public KubernetesClient newUserClient() {
        return server.createClient();
    }

    /**
     * The next {@code times} PATCH requests whose path ends with {@code pathEnding} (such as
     * {@code /harperclusters/demo/status}) are answered 409 Conflict, as an API server answers a write that lost a race.
     */
    public void conflictOnPatches(String pathEnding, int times) {
        conflicts.put(pathEnding, new AtomicInteger(times));
    }

    /** The paths of the PATCHes refused with 409 so far. */
    public List<String> refusedPatches() {
        return List.copyOf(refusedPatches);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> writes() {
        return requests.stream().filter(r -> !r.isRead()).toList();
    }

    /** Each write with its body, for a failure message that says what was written. */
    public List<String> writesWithBodies() {
        return List.copyOf(writeBodies);
    }

    public void clearRequests() {
        requests.clear();
        writeBodies.clear();
    }

    /**
     * Clears this log and drops the requests the mock server keeps (every one, with its body, until taken): a long
     * benchmark would otherwise hold them all in the heap it measures.
     */
    public void forgetRequests() {
        clearRequests();
        try {
            while (server.takeRequest(0, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
                // dropped
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
