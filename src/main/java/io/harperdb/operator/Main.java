package io.harperdb.operator;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator against the cluster of the standard Fabric8 configuration: in cluster, the
 * service account; outside, KUBECONFIG or ~/.kube/config (the current context), or KUBERNETES_MASTER.
 * Exits non-zero with a clear message when the API server cannot be reached or the CRDs are missing.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        OperatorSettings settings;
        try {
            settings = OperatorSettings.fromEnvironment(System.getenv());
        } catch (RuntimeException e) {
            fail("invalid settings: " + e.getMessage());
            return;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        String problem = preflight(client, settings);
        if (problem != null) {
            fail(problem);
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HarperOperator operator = new HarperOperator(client, settings, HarperOperator.defaultClientFactory(), registry);
        OperatorHttpServer http = new OperatorHttpServer(settings.httpPort(), operator::isReady, registry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            http.close();
        }, "shutdown"));
        operator.start();
        LOG.info("harperdb-operator started against {}, watching {}, leader election {}, endpoints on :{}",
                client.getMasterUrl(), settings.watchesAllNamespaces() ? "all namespaces" : settings.watchNamespaces(),
                settings.leaderElection() ? "on" : "off", http.port());
    }

    /** Why the operator cannot run against this API server, or null when it can. */
    static String preflight(KubernetesClient client, OperatorSettings settings) {
        try {
            client.getKubernetesVersion();
        } catch (KubernetesClientException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause(); // Fabric8's own message is only "An error has occurred."
            }
            return "cannot reach the Kubernetes API server at " + client.getMasterUrl() + ": " + cause.getMessage()
                    + " (check the current kube context, KUBECONFIG or KUBERNETES_MASTER)";
        }
        for (Class<? extends HasMetadata> kind : List.of(HarperCluster.class, HarperNode.class)) {
            String plural = HasMetadata.getPlural(kind) + "." + HasMetadata.getGroup(kind);
            try {
                var options = new ListOptionsBuilder().withLimit(1L).build();
                if (settings.watchesAllNamespaces()) {
                    client.resources(kind).inAnyNamespace().list(options);
                } else {
                    client.resources(kind).inNamespace(settings.watchNamespaces().iterator().next()).list(options);
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return "the CRD " + plural + " is not installed: kubectl apply -f crds/";
                }
                return "cannot list " + plural + ": " + e.getMessage() + " (check the operator's RBAC)";
            }
        }
        return null;
    }

    private static void fail(String message) {
        LOG.error(message);
        System.err.println("harperdb-operator: " + message);
        System.exit(1);
    }
}
