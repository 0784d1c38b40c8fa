package io.harperdb.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.reconciler.Backoff;
import io.harperdb.operator.reconciler.ClusterObserver;
import io.harperdb.operator.reconciler.EventRecorder;
import io.harperdb.operator.reconciler.HarperClientFactory;
import io.harperdb.operator.reconciler.CertificateMetrics;
import io.harperdb.operator.reconciler.ClusterMetrics;
import io.harperdb.operator.reconciler.HarperClusterReconciler;
import io.harperdb.operator.reconciler.HarperNodeReconciler;
import io.harperdb.operator.reconciler.ManagedResources;
import io.harperdb.operator.resources.DesiredStatefulSet;
import io.harperdb.operator.resources.OperatorNetwork;
import io.harperdb.operator.resources.MemberAddressResolver;
import io.harperdb.operator.resources.SidecarImage;
import io.harperdb.operator.reconciler.PlanExecutor;
import io.harperdb.replication.client.HarperClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator: both reconcilers registered with JOSDK on a given Kubernetes client. Writes to
 * Kubernetes go through JSON Patch and resourceVersion-checked updates only (server-side apply is
 * off), the paths that behave the same on every API server.
 */
public final class HarperOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HarperOperator.class);
    private final Operator operator;
    /** A thread per observation at once (each round limits its own): one cluster's hung members never hold up another's. */
    private final ExecutorService observers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "harperdb-observer");
        t.setDaemon(true);
        return t;
    });

    public HarperOperator(KubernetesClient client, OperatorSettings settings, HarperClientFactory clients, MeterRegistry registry) {
        this(client, settings, clients, registry, MemberAddressResolver.stableDns(), DesiredStatefulSet.fromEnvironment(System.getenv()));
    }

    /**
     * @param addresses    where the managed pods answer: their stable DNS names in a cluster; tests map them elsewhere
     * @param statefulSets builds the managed StatefulSets (with the sidecar image)
     */
    public HarperOperator(KubernetesClient client, OperatorSettings settings, HarperClientFactory clients, MeterRegistry registry,
                          MemberAddressResolver addresses, DesiredStatefulSet statefulSets) {
        this(client, settings, clients, registry, addresses, statefulSets, Clock.systemUTC());
    }

    /** @param clock the rounds' clock: what the time rules (healing, drain, backoff) are measured by */
    public HarperOperator(KubernetesClient client, OperatorSettings settings, HarperClientFactory clients, MeterRegistry registry,
                          MemberAddressResolver addresses, DesiredStatefulSet statefulSets, Clock clock) {
        logSidecarImage(statefulSets.sidecarImage());
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace()));
            }
        });
        EventRecorder events = new EventRecorder(client);
        HarperClusterReconciler clusters = new HarperClusterReconciler(new ClusterObserver(clients, observers, clock),
                new PlanExecutor(clients, events), Backoff.DEFAULT, clock, new ManagedResources(statefulSets, events,
                OperatorNetwork.fromEnvironment(System.getenv())), addresses, new CertificateMetrics(registry),
                new ClusterMetrics(registry));
        HarperNodeReconciler nodes = new HarperNodeReconciler(clients, clock, addresses);
        if (settings.watchesAllNamespaces()) {
            operator.register(clusters);
            operator.register(nodes);
        } else {
            operator.register(clusters, c -> c.settingNamespaces(settings.watchNamespaces()));
            operator.register(nodes, c -> c.settingNamespaces(settings.watchNamespaces()));
        }
    }

    /** Says at start which image the sidecars of managed instances run, and where it came from. */
    private static void logSidecarImage(SidecarImage image) {
        if (image.usable()) {
            LOG.info("replication sidecar image: {}", image.describe());
        } else {
            LOG.warn("replication sidecar image: {}; clusters that enable the sidecar report ConfigurationError", image.describe());
        }
    }

    public static HarperClientFactory defaultClientFactory() {
        return new HarperClientFactory(HarperClient.Timeouts.DEFAULT);
    }

    public void start() {
        operator.start();
    }

    /** Started, and every informer is watching. */
    public boolean isReady() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    @Override
    public void close() {
        operator.stop();
        observers.shutdownNow();
    }
}
