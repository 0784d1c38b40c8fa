package io.harperdb.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.ResourceLock;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.HarperOperator;
import io.harperdb.operator.OperatorSettings;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.reconciler.Annotations;
import io.harperdb.operator.reconciler.HarperClientFactory;
import io.harperdb.operator.testing.KubernetesAccess;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart's RBAC grants what the operator really does: the operator runs against the mock API server
 * through a scenario that makes it use every Kubernetes call it has (a cluster, members with Secrets, a
 * spec change, pause and resume, a member removed, a node naming no cluster, the cluster deleted), every
 * request it sends is recorded, and each must be granted by the rules bound to its ServiceAccount in the
 * rendered chart. The other way round, every permission the chart grants is either used in the
 * scenario or listed in {@link #ANTICIPATED} with the reason, so that the rules stay least privilege.
 * The test acts as the user through a second client whose requests are not recorded.
 */
@ResourceLock("helm")    // helm-java's native library, one caller at a time
class RbacCoverageTest {
    static final String APPS = "apps";

    /** Granted for what the operator does but the mock-server scenario cannot show, each with the reason. */
    static final Map<String, String> ANTICIPATED = anticipated();

    private static Map<String, String> anticipated() {
        Map<String, String> reasons = new HashMap<>();
        reasons.put("delete pods", "rolling restart of a changed pod template, one pod at a time once the cluster is Ready "
                + "(RollingRestartTest; the scenario's members never become Ready)");
        reasons.put("patch persistentvolumeclaims", "a data claim resized when storage.size grows (VolumeExpansionTest; the "
                + "mock server has no StatefulSet controller to make claims)");
        reasons.put("get storage.k8s.io/storageclasses", "whether a claim's StorageClass allows volume expansion (VolumeExpansionTest)");
        reasons.put("patch events", "an Event recorded again raises its count (EventRecorderTest), when the scenario repeats none");
        reasons.put("update harperdb.io/harperclusters/finalizers", "ownerReferences with blockOwnerDeletion on managed resources "
                + "(OwnerReferencesPermissionEnforcement, which the mock server does not enforce)");
        for (String verb : List.of("list", "create", "update", "delete")) {
            reasons.put(verb + " cert-manager.io/certificates", "cert-manager Certificates of a cluster with spec.tls.issuerRef "
                    + "(CertManagerTest: listed, created, updated back, deleted on scale-down; the scenario's clusters use the operator's CA)");
        }
        return Map.copyOf(reasons);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** All namespaces (ClusterRole), or watchNamespaces (a Role per namespace). */
    @ParameterizedTest(name = "watchNamespaces={0}")
    @ValueSource(strings = {"", APPS})
    void theChartGrantsEveryRequestOfTheOperatorAndNoMore(String watchNamespaces) throws Exception {
        ChartRbac rbac = ChartRbac.of(OperatorChart.render(watchNamespaces.isEmpty() ? Map.of() : Map.of("watchNamespaces[0]", watchNamespaces)));
        List<MockKubernetes.Request> requests = runScenario(watchNamespaces.isEmpty() ? Set.of() : Set.of(watchNamespaces));

        assertThat(rbac.ungranted(requests)).as("requests of the operator that the chart does not grant: add them to harperdb-operator.rules in "
                + "helm/harperdb-operator/templates/_helpers.tpl, then `make deploy`").isEmpty();
        assertThat(rbac.wildcardRules()).as("rules with *").isEmpty();

        Set<String> used = requests.stream().map(KubernetesAccess::of).flatMap(java.util.Optional::stream)
                .map(KubernetesAccess::permission).collect(Collectors.toCollection(TreeSet::new));
        Set<String> unused = new TreeSet<>(rbac.permissions());
        unused.removeAll(used);
        unused.removeAll(ANTICIPATED.keySet());
        unused.removeIf(p -> p.contains("coordination.k8s.io/leases"));   // the lease test uses them
        assertThat(unused).as("granted, but neither used in the scenario nor in ANTICIPATED: remove them from the chart (recorded: " + used + ")").isEmpty();
    }

    private List<MockKubernetes.Request> runScenario(Set<String> watchNamespaces) throws Exception {
        try (MockKubernetes kubernetes = new MockKubernetes();
             KubernetesClient user = kubernetes.newUserClient();
             HarperStandIn east = new HarperStandIn("east-1.example.com");
             HarperStandIn west = new HarperStandIn("west-1.example.com")) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            HarperOperator operator = new HarperOperator(kubernetes.client(), new OperatorSettings(watchNamespaces, false, "lock", null, 0),
                    new HarperClientFactory(RunningOperator.TEST_TIMEOUTS), registry);
            try {
                operator.start();
                await("operator ready").atMost(Duration.ofSeconds(30)).until(operator::isReady);

                user.resource(secret("east-1-admin")).create();
                user.resource(secret("west-1-admin")).create();
                user.resource(load(HarperCluster.class, """
                        apiVersion: harperdb.io/v1alpha1
                        kind: HarperCluster
                        metadata: {name: demo, namespace: apps}
                        spec: {pollInterval: 1s, tls: {verify: false}}
                        """)).create();
                user.resource(node("east-1", "demo", east)).create();
                user.resource(node("west-1", "demo", west)).create();

                // members are observed, operations sent and recorded as Events, statuses written, finalizers added
                await("cluster status").atMost(Duration.ofSeconds(30)).until(() -> cluster(user, "demo"),
                        c -> c.getStatus() != null && c.getStatus().getPhase() != null);
                await("node statuses and finalizers").atMost(Duration.ofSeconds(30)).until(() -> List.of(node(user, "east-1"), node(user, "west-1")),
                        nodes -> nodes.stream().allMatch(n -> n.getStatus() != null && !n.getMetadata().getFinalizers().isEmpty()));
                await("an Event").atMost(Duration.ofSeconds(30)).until(() -> !user.v1().events().inNamespace(APPS).list().getItems().isEmpty());

                // a spec change
                user.resources(HarperCluster.class).inNamespace(APPS).withName("demo").edit(c -> {
                    c.getSpec().setPollInterval("2s");
                    return c;
                });
                await("generation 2 observed").atMost(Duration.ofSeconds(30)).until(() -> cluster(user, "demo"),
                        c -> c.getStatus().getObservedGeneration() != null && c.getStatus().getObservedGeneration() == 2L);

                // pause, then resume
                setPaused(user, true);
                await("paused").atMost(Duration.ofSeconds(30)).until(() -> cluster(user, "demo").getStatus().getPhase() == Phase.PAUSED);
                setPaused(user, false);
                await("resumed").atMost(Duration.ofSeconds(30)).until(() -> cluster(user, "demo").getStatus().getPhase() != Phase.PAUSED);

                // managed instances: the admin Secret, Services, PDB and StatefulSet are created, then updated
                user.resource(load(HarperCluster.class, """
                        apiVersion: harperdb.io/v1alpha1
                        kind: HarperCluster
                        metadata: {name: managed, namespace: apps}
                        spec: {pollInterval: 1s, tls: {verify: false}, instances: {replicas: 1, sidecar: {enabled: false}},
                               networkPolicy: {enabled: true}}
                        """)).create();
                await("managed resources").atMost(Duration.ofSeconds(30)).until(() -> user.apps().statefulSets().inNamespace(APPS).withName("managed").get() != null
                        && user.policy().v1().podDisruptionBudget().inNamespace(APPS).withName("managed").get() != null
                        && user.secrets().inNamespace(APPS).withName("managed-admin").get() != null);
                await("replicas edited").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    user.resources(HarperCluster.class).inNamespace(APPS).withName("managed").edit(c -> {
                        c.getSpec().getInstances().setReplicas(5);
                        return c;
                    });
                    return true;
                });
                await("StatefulSet and PDB updated").atMost(Duration.ofSeconds(30)).until(() ->
                        user.apps().statefulSets().inNamespace(APPS).withName("managed").get().getSpec().getReplicas() == 5
                                && user.policy().v1().podDisruptionBudget().inNamespace(APPS).withName("managed").get().getSpec().getMaxUnavailable().getIntVal() == 2);
                // the NetworkPolicy: created, patched when the clients change, deleted when turned off
                await("NetworkPolicy").atMost(Duration.ofSeconds(30)).until(() -> user.network().v1().networkPolicies().inNamespace(APPS)
                        .withName("managed").get() != null);
                await("clients edited").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    user.resources(HarperCluster.class).inNamespace(APPS).withName("managed").edit(c -> {
                        c.getSpec().getNetworkPolicy().setOperationsClients(List.of(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder()
                                .withNewPodSelector().addToMatchLabels("app", "backup").endPodSelector().build()));
                        return c;
                    });
                    return true;
                });
                await("NetworkPolicy patched").atMost(Duration.ofSeconds(30)).until(() -> user.network().v1().networkPolicies().inNamespace(APPS)
                        .withName("managed").get().getSpec().getIngress().get(1).getFrom().size() == 2);
                await("turned off").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    user.resources(HarperCluster.class).inNamespace(APPS).withName("managed").edit(c -> {
                        c.getSpec().getNetworkPolicy().setEnabled(false);
                        return c;
                    });
                    return true;
                });
                await("NetworkPolicy deleted").atMost(Duration.ofSeconds(30)).until(() -> user.network().v1().networkPolicies().inNamespace(APPS)
                        .withName("managed").get() == null);
                // a pod of the StatefulSet above its replicas (as if leaving) is labelled to receive no client traffic
                user.pods().inNamespace(APPS).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                        .withName("managed-7").withLabels(user.apps().statefulSets().inNamespace(APPS).withName("managed").get()
                                .getSpec().getTemplate().getMetadata().getLabels()).endMetadata().build()).create();
                await("pod labelled not serving").atMost(Duration.ofSeconds(30)).until(() -> "false".equals(
                        user.pods().inNamespace(APPS).withName("managed-7").get().getMetadata().getLabels().get("harperdb.io/serving")));
                user.services().inNamespace(APPS).withName("managed").edit(svc -> {
                    svc.getSpec().setSelector(Map.of("app", "other"));
                    return svc;
                });
                await("Service restored").atMost(Duration.ofSeconds(30)).until(() ->
                        !user.services().inNamespace(APPS).withName("managed").get().getSpec().getSelector().containsKey("app"));

                // a member leaves: remove_node, then its finalizer goes
                user.resources(HarperNode.class).inNamespace(APPS).withName("west-1").delete();
                await("west-1 gone").atMost(Duration.ofSeconds(30)).until(() -> node(user, "west-1") == null);

                // a node that names no cluster gets a status of its own
                user.resource(node("stray", "absent", east)).create();
                await("stray reported").atMost(Duration.ofSeconds(30)).until(() -> node(user, "stray"), n -> n.getStatus() != null);

                // the cluster goes, then its members: their finalizers are released
                user.resources(HarperCluster.class).inNamespace(APPS).withName("demo").delete();
                await("cluster gone").atMost(Duration.ofSeconds(30)).until(() -> cluster(user, "demo") == null);
                user.resources(HarperNode.class).inNamespace(APPS).delete();
                await("nodes gone").atMost(Duration.ofSeconds(30))
                        .until(() -> user.resources(HarperNode.class).inNamespace(APPS).list().getItems().isEmpty());
            } finally {
                operator.close();
            }
            return kubernetes.requests();
        }
    }

    /**
     * Leader election, with the Lease settings the chart gives the Deployment: JOSDK checks its Lease access
     * with a SelfSubjectRulesReview (answered here from the chart's rules, as the API server would), then
     * creates, reads and renews the Lease. HarperOperator itself cannot run it in a test JVM: JOSDK exits
     * the process when it stops leading, so JOSDK's leader election runs here with exitOnStopLeading off.
     */
    @Test
    void leaderElectionIsGrantedItsLeaseAndNothingElse() throws Exception {
        List<HasMetadata> chart = OperatorChart.render(Map.of());
        ChartRbac rbac = ChartRbac.of(chart);
        Deployment deployment = OperatorChart.single(chart, Deployment.class);
        Map<String, String> env = HelmChartTest.environment(deployment);
        OperatorSettings settings = OperatorSettings.fromEnvironment(env);
        assertThat(settings.leaderElection()).isTrue();

        MockKubernetes kubernetes = new MockKubernetes(rbac::resourceRulesIn);
        KubernetesClient client = kubernetes.client();
        KubernetesClient user = kubernetes.newUserClient();
        Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
                        .withLeaseNamespace(settings.leaseNamespace())
                        .withIdentity("operator-0")
                        .withExitOnStopLeading(false)
                        .build()));
        try {
            operator.register(new IdleReconciler());
            operator.start();
            await("lease held and renewed").atMost(Duration.ofSeconds(30)).until(() -> {
                Lease lease = user.leases().inNamespace(settings.leaseNamespace()).withName(settings.leaseName()).get();
                return lease != null && "operator-0".equals(lease.getSpec().getHolderIdentity())
                        && kubernetes.requests().stream().anyMatch(r -> !r.method().equals("GET") && r.path().contains("/leases/"));
            });
        } finally {
            operator.stop();
            user.close();
            kubernetes.close();
        }

        List<MockKubernetes.Request> leaseRequests = kubernetes.requests().stream().filter(r -> r.path().contains("coordination.k8s.io")).toList();
        assertThat(rbac.ungranted(leaseRequests)).isEmpty();
        Set<String> used = leaseRequests.stream().map(KubernetesAccess::of).flatMap(java.util.Optional::stream)
                .map(KubernetesAccess::permission).collect(Collectors.toCollection(TreeSet::new));
        Set<String> granted = rbac.permissions().stream().filter(p -> p.contains("coordination.k8s.io"))
                .collect(Collectors.toCollection(TreeSet::new));
        // Fabric8 renews by patch; update is granted because JOSDK's start-up check asks for it
        Set<String> expected = new TreeSet<>(used);
        expected.add("update coordination.k8s.io/leases");
        assertThat(granted).isEqualTo(expected);
        assertThat(rbac.ungranted(List.of(new MockKubernetes.Request("GET",
                "/apis/coordination.k8s.io/v1/namespaces/" + settings.leaseNamespace() + "/leases/another-lock"))))
                .as("another Lease").isNotEmpty();
    }

    @ControllerConfiguration(name = "idle")
    public static class IdleReconciler implements Reconciler<HarperCluster> {
        @Override
        public UpdateControl<HarperCluster> reconcile(HarperCluster resource, io.javaoperatorsdk.operator.api.reconciler.Context<HarperCluster> context) {
            return UpdateControl.noUpdate();
        }
    }

    private static void setPaused(KubernetesClient user, boolean paused) {
        user.resources(HarperCluster.class).inNamespace(APPS).withName("demo").edit(c -> {
            if (paused) {
                if (c.getMetadata().getAnnotations() == null) {
                    c.getMetadata().setAnnotations(new HashMap<>());
                }
                c.getMetadata().getAnnotations().put(Annotations.PAUSE, "true");
            } else {
                c.getMetadata().getAnnotations().remove(Annotations.PAUSE);
            }
            return c;
        });
    }

    private static HarperCluster cluster(KubernetesClient user, String name) {
        return user.resources(HarperCluster.class).inNamespace(APPS).withName(name).get();
    }

    private static HarperNode node(KubernetesClient user, String name) {
        return user.resources(HarperNode.class).inNamespace(APPS).withName(name).get();
    }

    private static Secret secret(String name) {
        return load(Secret.class, """
                apiVersion: v1
                kind: Secret
                metadata: {name: %s, namespace: apps}
                stringData: {username: admin, password: secret-password}
                """.formatted(name));
    }

    private static HarperNode node(String name, String cluster, HarperStandIn harper) {
        return load(HarperNode.class, """
                apiVersion: harperdb.io/v1alpha1
                kind: HarperNode
                metadata: {name: %s, namespace: apps}
                spec:
                  clusterRef: %s
                  hostname: %s
                  operationsUrl: %s
                  verifyTls: false
                  authorizationSecret: {name: %s-admin}
                """.formatted(name, cluster, harper.nodeName, harper.url(), name));
    }

    private static <T> T load(Class<T> type, String yaml) {
        return new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(yaml, type);
    }

    /**
     * A HarperDB Operations API that accepts everything: an empty cluster_status and membership, and a
     * success for every operation, so that the operator plans, sends and records operations each round.
     */
    static final class HarperStandIn implements AutoCloseable {
        final String nodeName;
        private final MockWebServer server = new MockWebServer();

        HarperStandIn(String nodeName) throws IOException {
            this.nodeName = nodeName;
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest request) {
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
        }

        String url() {
            return server.url("/").toString();
        }

        @Override
        public void close() throws IOException {
            server.shutdown();
        }
    }
}
