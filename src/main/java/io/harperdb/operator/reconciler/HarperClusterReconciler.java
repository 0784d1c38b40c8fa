package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterSpec;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.HarperNodeStatus;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.ManagedMembers;
import io.harperdb.operator.resources.MemberAddressResolver;
import io.harperdb.operator.resources.ResourceNames;
import io.harperdb.operator.resources.TemplateHash;
import io.harperdb.replication.Durations;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.plan.DesiredMember;
import io.harperdb.replication.plan.ObservedMember;
import io.harperdb.replication.plan.Plan;
import io.harperdb.replication.plan.PlanInput;
import io.harperdb.replication.plan.PlannedOperation;
import io.harperdb.replication.plan.ReplicationPlanner;
import io.harperdb.replication.plan.RouteEdits;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a HarperCluster: observes every member, plans the replication operations that make the
 * real cluster match the spec, sends them, and mirrors the result into the status of the cluster and
 * of its HarperNodes. Polls on {@code spec.pollInterval}, faster while converging, slower (backoff)
 * while members fail. Writes status only when it changed.
 */
@ControllerConfiguration(name = HarperClusterReconciler.NAME)
public class HarperClusterReconciler implements Reconciler<HarperCluster> {
    public static final String NAME = "harpercluster";
    static final String NODES_EVENT_SOURCE = "harpernodes";
    static final String STATEFULSETS_EVENT_SOURCE = "statefulsets";
    static final String PODS_EVENT_SOURCE = "pods";
    static final String MANAGED_SELECTOR = ResourceNames.LABEL_MANAGED_BY + "=" + ResourceNames.MANAGED_BY;
    /** How soon to look again while operations are in flight or links are forming. */
    static final Duration CONVERGING_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(HarperClusterReconciler.class);

    private final ClusterObserver observer;
    private final PlanExecutor executor;
    private final Backoff backoff;
    private final Clock clock;
    private final ManagedResources managed;
    private final MemberAddressResolver addresses;
    private final Map<ResourceID, Integer> failedRounds = new ConcurrentHashMap<>();
    private final Map<ResourceID, LinkHealer> healers = new ConcurrentHashMap<>();
    private final Map<ResourceID, LinkCallSpacing> spacings = new ConcurrentHashMap<>();

    public HarperClusterReconciler(ClusterObserver observer, PlanExecutor executor, Backoff backoff, Clock clock,
                                   ManagedResources managed, MemberAddressResolver addresses) {
        this.observer = observer;
        this.executor = executor;
        this.backoff = backoff;
        this.clock = clock;
        this.managed = managed;
        this.addresses = addresses;
    }

    @Override
    public List<EventSource<?, HarperCluster>> prepareEventSources(EventSourceContext<HarperCluster> context) {
        // A HarperNode change reconciles the cluster it names; status-only changes (written by this
        // reconciler) are ignored so that they cause no loop.
        InformerEventSource<HarperNode, HarperCluster> nodes = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(HarperNode.class, HarperCluster.class)
                        .withName(NODES_EVENT_SOURCE)
                        .withSecondaryToPrimaryMapper(node -> node.getSpec() == null || node.getSpec().getClusterRef() == null
                                ? Set.of()
                                : Set.of(new ResourceID(node.getSpec().getClusterRef(), node.getMetadata().getNamespace())))
                        .withOnUpdateFilter((next, old) -> !Objects.equals(next.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                                || !Objects.equals(next.getMetadata().getDeletionTimestamp(), old.getMetadata().getDeletionTimestamp()))
                        .build(), context);
        // No Secret informer: Secrets are read by name, afresh each round (see RoundSecrets for why).
        // The managed StatefulSet and its pods: a pod that becomes ready (or goes) reconciles its cluster at once.
        InformerEventSource<StatefulSet, HarperCluster> statefulSets = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(StatefulSet.class, HarperCluster.class)
                        .withName(STATEFULSETS_EVENT_SOURCE)
                        .withLabelSelector(MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(HarperClusterReconciler::clusterOf)
                        .build(), context);
        InformerEventSource<Pod, HarperCluster> pods = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, HarperCluster.class)
                        .withName(PODS_EVENT_SOURCE)
                        .withLabelSelector(MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(HarperClusterReconciler::clusterOf)
                        .build(), context);
        return List.of(nodes, statefulSets, pods);
    }

    /** The cluster a managed object belongs to, by its instance label (pods carry no owner reference to it). */
    static Set<ResourceID> clusterOf(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        Map<String, String> labels = resource.getMetadata().getLabels();
        String instance = labels == null ? null : labels.get(ResourceNames.LABEL_INSTANCE);
        return instance == null ? Set.of() : Set.of(new ResourceID(instance, resource.getMetadata().getNamespace()));
    }

    @Override
    public UpdateControl<HarperCluster> reconcile(HarperCluster cluster, Context<HarperCluster> context) {
        KubernetesClient client = context.getClient();
        HarperClusterSpec spec = cluster.getSpec();
        long generation = Optional.ofNullable(cluster.getMetadata().getGeneration()).orElse(0L);
        Duration pollInterval = pollInterval(spec);

        if (Annotations.isPaused(cluster)) {
            writeClusterStatus(client, cluster, ClusterStatusBuilder.paused(cluster.getStatus(), generation, clock.instant()));
            return UpdateControl.<HarperCluster>noUpdate().rescheduleAfter(pollInterval);
        }

        String namespace = cluster.getMetadata().getNamespace();
        Function<String, Optional<Secret>> secrets = new RoundSecrets(client, namespace);
        List<HarperNode> nodes = context.getSecondaryResourcesAsStream(HarperNode.class).toList();
        MemberResolver.Members members = MemberResolver.resolve(cluster, nodes, secrets);
        boolean hasInstances = spec.getInstances() != null;
        int desiredReplicas = ManagedMembers.replicas(cluster);
        int currentReplicas = 0;
        StatefulSet statefulSet = null;
        MemberResolver.Members managedMembers = new MemberResolver.Members(List.of(), List.of());
        if (hasInstances) {
            Optional<String> problem = managed.configurationProblem(cluster);
            if (problem.isPresent()) {    // a condition and an Event say why; retried on the poll interval, never thrown
                writeClusterStatus(client, cluster, ConfigurationError.status(cluster.getStatus(), problem.get(), generation, clock.instant()));
                return UpdateControl.<HarperCluster>noUpdate().rescheduleAfter(pollInterval);
            }
            managed.ensureAdminSecret(client, cluster, secrets);
            managed.ensureServices(client, cluster);
            managed.ensureDisruptionBudget(client, cluster);
            StatefulSet existing = managed.existingStatefulSet(client, cluster);
            currentReplicas = existing == null || existing.getSpec().getReplicas() == null ? 0 : existing.getSpec().getReplicas();
            // Growing takes effect at once; shrinking waits until the leaving pods are out of the mesh.
            statefulSet = managed.ensureStatefulSet(client, cluster, Math.max(desiredReplicas, currentReplicas));
            managedMembers = MemberResolver.managed(cluster, desiredReplicas, currentReplicas, addresses, secrets);
            members = members.plus(managedMembers);
        }
        Map<String, MemberObservation> observations = observer.observe(members.all().stream()
                .filter(ClusterMember::hasCredentials).toList());

        Map<String, List<io.harperdb.operator.api.Route>> writtenRoutes = writtenRoutes(cluster.getStatus());
        Plan plan = ReplicationPlanner.plan(planInput(spec, members, observations, writtenRoutes));
        Map<String, ClusterMember> byName = new LinkedHashMap<>();
        members.all().forEach(m -> byName.put(m.name(), m));
        List<PlannedOperation> operations = plan.operations();
        if (plan.isEmpty()) {
            // Only when the planner has nothing to do: its operations change the links anyway.
            ClusterHealth health = new ClusterHealth(members.staying(), observations, plan.invalid().keySet());
            operations = healers.computeIfAbsent(ResourceID.fromResource(cluster), id -> new LinkHealer())
                    .heal(members.staying(), health);
        }
        LinkCallSpacing spacing = spacings.computeIfAbsent(ResourceID.fromResource(cluster), id -> new LinkCallSpacing());
        operations = spacing.admit(operations, clock.instant());
        List<OperationResult> results = executor.execute(cluster, operations, byName);
        spacing.sent(operations, clock.instant());
        recordWrittenRoutes(results, observations, writtenRoutes);

        List<String> stillLeaving = List.of();
        if (hasInstances && desiredReplicas < currentReplicas) {
            Set<String> recorded = ScaleDown.stillRecorded(members.staying(), managedMembers.leaving(), observations);
            if (recorded.isEmpty()) {
                LOG.info("cluster {}/{}: the leaving pods are out of the mesh; StatefulSet down to {} replicas", namespace,
                        cluster.getMetadata().getName(), desiredReplicas);
                statefulSet = managed.ensureStatefulSet(client, cluster, desiredReplicas);
            } else {
                stillLeaving = managedMembers.leaving().stream().filter(m -> recorded.contains(m.name()))
                        .map(ClusterMember::resourceName).toList();
            }
        }

        ClusterStatusBuilder.Round round = new ClusterStatusBuilder.Round(members.staying(), observations, plan,
                results, writtenRoutes, generation, clock.instant());
        HarperClusterStatus status = ClusterStatusBuilder.cluster(cluster.getStatus(), round);
        if (hasInstances) {
            status = ClusterStatusBuilder.withScaling(cluster.getStatus(), status, stillLeaving, generation, clock.instant());
        }
        status = TlsVerification.withCondition(cluster.getStatus(), status, cluster, generation, clock.instant());
        writeClusterStatus(client, cluster, status);
        if (statefulSet != null && status.getPhase() == Phase.READY) {
            rollNextPod(context, cluster, statefulSet);
        }
        for (HarperNode node : nodes) {
            members.staying().stream().filter(m -> m.resourceName().equals(node.getMetadata().getName())).findFirst()
                    .ifPresent(member -> writeNodeStatus(client, node, ClusterStatusBuilder.node(node.getStatus(), member, round,
                            Optional.ofNullable(node.getMetadata().getGeneration()).orElse(0L))));
        }
        return UpdateControl.<HarperCluster>noUpdate().rescheduleAfter(nextPoll(cluster, status, results, pollInterval));
    }

    /** Deletes the next pod whose template is out of date, if the cluster is Ready for it (see {@link RollingRestart}). */
    private void rollNextPod(Context<HarperCluster> context, HarperCluster cluster, StatefulSet statefulSet) {
        String prefix = ResourceNames.statefulSet(cluster) + "-";
        List<RollingRestart.PodState> pods = context.getSecondaryResourcesAsStream(Pod.class)
                .filter(p -> p.getMetadata().getName().startsWith(prefix))
                .map(p -> new RollingRestart.PodState(p.getMetadata().getName(), ordinal(p.getMetadata().getName(), prefix),
                        TemplateHash.current(p), p.getMetadata().getDeletionTimestamp() != null, isReady(p)))
                .toList();
        int replicas = statefulSet.getSpec().getReplicas() == null ? 0 : statefulSet.getSpec().getReplicas();
        RollingRestart.next(TemplateHash.desired(statefulSet), replicas, pods, true, Annotations.isPaused(cluster))
                .ifPresent(pod -> managed.restartPod(context.getClient(), cluster, pod));
    }

    private static int ordinal(String pod, String prefix) {
        try {
            return Integer.parseInt(pod.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static PlanInput planInput(HarperClusterSpec spec, MemberResolver.Members members, Map<String, MemberObservation> observations,
                               Map<String, List<io.harperdb.operator.api.Route>> writtenRoutes) {
        // Members without credentials stay desired (so never taken for strays); not being observed, they
        // count as unreachable and nothing is sent to or about them.
        List<DesiredMember> desired = members.staying().stream()
                .map(m -> new DesiredMember(m.name(), m.connection(), m.subscriptions()))
                .toList();
        Map<String, ObservedMember> observed = new HashMap<>();
        observations.forEach((name, o) -> {
            if (name != null) {
                observed.put(name, new ObservedMember(name, o.status(), o.loadedRoutes(), toClientRoutes(writtenRoutes.get(name))));
            }
        });
        // a leaving member without a name was never added: there is nothing to remove
        Set<String> leaving = members.leaving().stream().map(ClusterMember::name).filter(Objects::nonNull).collect(Collectors.toSet());
        boolean prune = spec.getReplication() != null && Boolean.TRUE.equals(spec.getReplication().getPruneUnknownNodes());
        return new PlanInput(desired, observed, leaving, toClientRoutes(desiredRoutes(spec)), prune);
    }

    static List<io.harperdb.operator.api.Route> desiredRoutes(HarperClusterSpec spec) {
        return spec.getReplication() == null || spec.getReplication().getRoutes() == null
                ? List.of() : spec.getReplication().getRoutes();
    }

    static List<Route> toClientRoutes(List<io.harperdb.operator.api.Route> routes) {
        if (routes == null) {
            return null;
        }
        return routes.stream()
                .map(r -> r.getValue() != null ? Route.of(r.getValue()) : new Route(null, r.getHostname(), r.getPort()))
                .toList();
    }

    private static Map<String, List<io.harperdb.operator.api.Route>> writtenRoutes(HarperClusterStatus status) {
        Map<String, List<io.harperdb.operator.api.Route>> written = new HashMap<>();
        if (status != null && status.getMembers() != null) {
            for (MemberStatus m : status.getMembers()) {
                if (m.getWrittenRoutes() != null) {
                    written.put(m.getName(), m.getWrittenRoutes());
                }
            }
        }
        return written;
    }

    /** After a route edit succeeded on a member, its config holds what {@link RouteEdits} says. */
    private static void recordWrittenRoutes(List<OperationResult> results, Map<String, MemberObservation> observations,
                                            Map<String, List<io.harperdb.operator.api.Route>> written) {
        for (OperationResult r : results) {
            Optional<PlannedOperation.RouteEdit> routeEdit = r.operation().asRouteEdit();
            if (routeEdit.isPresent() && r.succeeded()) {
                String member = r.operation().target();
                List<Route> config = RouteEdits.configAfter(observations.get(member).loadedRoutes(), routeEdit.get());
                written.put(member, config.stream().map(HarperClusterReconciler::toApiRoute).toList());
            }
        }
    }

    private static io.harperdb.operator.api.Route toApiRoute(Route route) {
        return route.value() != null ? io.harperdb.operator.api.Route.of(route.value())
                : io.harperdb.operator.api.Route.of(route.hostname(), route.port());
    }

    private Duration nextPoll(HarperCluster cluster, HarperClusterStatus status, List<OperationResult> results, Duration pollInterval) {
        ResourceID id = ResourceID.fromResource(cluster);
        boolean failed = results.stream().anyMatch(r -> !r.succeeded() && !r.skipped())
                || status.getPhase() == Phase.FAILED || status.getPhase() == Phase.DEGRADED;
        if (failed) {
            int attempt = failedRounds.merge(id, 1, Integer::sum);
            Duration delay = backoff.delay(attempt);
            return delay.compareTo(pollInterval) > 0 ? pollInterval : delay;
        }
        failedRounds.remove(id);
        return status.getPhase() == Phase.READY ? pollInterval : CONVERGING_INTERVAL;
    }

    private static Duration pollInterval(HarperClusterSpec spec) {
        try {
            return Durations.parse(spec.getPollInterval() == null ? "30s" : spec.getPollInterval());
        } catch (IllegalArgumentException e) {
            return Duration.ofSeconds(30);
        }
    }

    private static void writeClusterStatus(KubernetesClient client, HarperCluster cluster, HarperClusterStatus status) {
        if (StatusComparison.same(cluster.getStatus(), status)) {
            return;
        }
        LOG.info("cluster {}/{}: phase {}, ready {}{}", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(),
                status.getPhase(), status.getReadyMembers(), problems(status));
        client.resources(HarperCluster.class).inNamespace(cluster.getMetadata().getNamespace())
                .withName(cluster.getMetadata().getName())
                .editStatus(current -> {
                    current.setStatus(status);
                    return current;
                });
    }

    /** The messages of the conditions that are not as they should be, for the log line. */
    private static String problems(HarperClusterStatus status) {
        String problems = status.getConditions().stream()
                .filter(c -> Conditions.DEGRADED.equals(c.getType()) ? "True".equals(c.getStatus())
                        : Conditions.RECONCILED.equals(c.getType()) && "False".equals(c.getStatus()))
                .map(c -> c.getReason() + ": " + c.getMessage())
                .collect(Collectors.joining("; "));
        return problems.isEmpty() ? "" : " (" + problems + ")";
    }

    private static void writeNodeStatus(KubernetesClient client, HarperNode node, HarperNodeStatus status) {
        if (StatusComparison.same(node.getStatus(), status)) {
            return;
        }
        client.resources(HarperNode.class).inNamespace(node.getMetadata().getNamespace())
                .withName(node.getMetadata().getName())
                .editStatus(current -> {
                    current.setStatus(status);
                    return current;
                });
    }
}
