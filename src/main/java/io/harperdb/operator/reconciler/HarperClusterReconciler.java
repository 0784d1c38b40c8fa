package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterSpec;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.HarperNodeStatus;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.HarperContainer;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
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
    static final String SERVICES_EVENT_SOURCE = "services";
    static final String BUDGETS_EVENT_SOURCE = "poddisruptionbudgets";
    static final String NETWORK_POLICIES_EVENT_SOURCE = "networkpolicies";
    static final String CLAIMS_EVENT_SOURCE = "persistentvolumeclaims";
    /** False while cert-manager has not issued every member's certificate (spec.tls.issuerRef); absent otherwise. */
    static final String CERTIFICATES_CONDITION = "CertificatesIssued";
    static final String MANAGED_SELECTOR = ResourceNames.LABEL_MANAGED_BY + "=" + ResourceNames.MANAGED_BY;
    /** How soon to look again while operations are in flight or links are forming. */
    static final Duration CONVERGING_INTERVAL = Duration.ofSeconds(2);
    /**
     * How soon to look again, for a while after HarperDB was written to ({@link #SETTLING_WINDOW}), when the round
     * itself sent nothing and nothing failed: links take seconds to connect after add_node or configure_cluster (2 to 5 s
     * on 4.7.29, BENCHMARKS.md), and at {@link #CONVERGING_INTERVAL} the operator saw a formed mesh up to 2 s late.
     */
    static final Duration SETTLING_INTERVAL = Duration.ofMillis(500);
    static final Duration SETTLING_WINDOW = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(HarperClusterReconciler.class);

    private final ClusterObserver observer;
    private final PlanExecutor executor;
    /** Holds back a partial-link call to a member that had a link call in the last seconds (see the class). */
    private final LinkCallSpacing spacing = new LinkCallSpacing();
    /** Per cluster UID, the drain samples of its leaving members (see {@link Drain}); lost on restart, which only delays. */
    private final Map<String, Map<String, Drain.Sample>> drainSamples = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per cluster UID, the catch-up samples of its staying pods not serving yet (see {@link Drain#joined}). */
    private final Map<String, Map<String, Drain.Sample>> joinSamples = new java.util.concurrent.ConcurrentHashMap<>();
    private final Backoff backoff;
    private final Clock clock;
    private final ManagedResources managed;
    private final MemberAddressResolver addresses;
    private final List<Step> steps;
    private final CertificateMetrics certificateMetrics;
    private final ClusterMetrics clusterMetrics;
    /**
     * By cluster UID, a status whose write failed (a 409 Conflict, say): the next round starts from it, so that what
     * only status remembers (routes written, links down and heal attempts, transition times) is not lost, and writes it.
     */
    private final Map<String, HarperClusterStatus> unwritten = new ConcurrentHashMap<>();
    /** By cluster UID, when a round last sent HarperDB an operation that succeeded; entries older than the window are dropped. */
    private final Map<String, Instant> lastWrites = new ConcurrentHashMap<>();
    /** By HarperNode UID, the CA bundle problem last reported by an Event (lost on restart: at most one Event more). */
    private final Map<String, String> reportedTrustProblems = new ConcurrentHashMap<>();

    public HarperClusterReconciler(ClusterObserver observer, PlanExecutor executor, Backoff backoff, Clock clock,
                                   ManagedResources managed, MemberAddressResolver addresses) {
        this(observer, executor, backoff, clock, managed, addresses, CertificateMetrics.NONE);
    }

    public HarperClusterReconciler(ClusterObserver observer, PlanExecutor executor, Backoff backoff, Clock clock,
                                   ManagedResources managed, MemberAddressResolver addresses, CertificateMetrics certificateMetrics) {
        this(observer, executor, backoff, clock, managed, addresses, certificateMetrics, ClusterMetrics.NONE);
    }

    public HarperClusterReconciler(ClusterObserver observer, PlanExecutor executor, Backoff backoff, Clock clock,
                                   ManagedResources managed, MemberAddressResolver addresses, CertificateMetrics certificateMetrics,
                                   ClusterMetrics clusterMetrics) {
        this.certificateMetrics = certificateMetrics;
        this.clusterMetrics = clusterMetrics;
        this.observer = observer;
        this.executor = executor;
        this.backoff = backoff;
        this.clock = clock;
        this.managed = managed;
        this.addresses = addresses;
        this.steps = steps();
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
        nodes.addIndexers(Map.of(IdentityClaims.INDEX, IdentityClaims::identityKeys));
        // No Secret informer: Secrets are read by name, afresh each round (see RoundSecrets for why).
        // The managed StatefulSet and its pods: a pod that becomes ready (or goes) reconciles its cluster at once.
        InformerEventSource<StatefulSet, HarperCluster> statefulSets = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(StatefulSet.class, HarperCluster.class)
                        .withName(STATEFULSETS_EVENT_SOURCE)
                        .withLabelSelector(MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(HarperClusterReconciler::clusterOf)
                        .build(), context);
        // The Services and the PodDisruptionBudget: read from these caches, and one deleted comes back at once.
        InformerEventSource<Service, HarperCluster> services = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Service.class, HarperCluster.class)
                        .withName(SERVICES_EVENT_SOURCE)
                        .withLabelSelector(MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(HarperClusterReconciler::clusterOf)
                        .build(), context);
        InformerEventSource<PodDisruptionBudget, HarperCluster> budgets = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(PodDisruptionBudget.class, HarperCluster.class)
                        .withName(BUDGETS_EVENT_SOURCE)
                        .withLabelSelector(MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(HarperClusterReconciler::clusterOf)
                        .build(), context);
        InformerEventSource<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy, HarperCluster> networkPolicies =
                new InformerEventSource<>(InformerEventSourceConfiguration.from(
                                io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class, HarperCluster.class)
                        .withName(NETWORK_POLICIES_EVENT_SOURCE)
                        .withLabelSelector(MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(HarperClusterReconciler::clusterOf)
                        .build(), context);
        InformerEventSource<Pod, HarperCluster> pods = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, HarperCluster.class)
                        .withName(PODS_EVENT_SOURCE)
                        .withLabelSelector(MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(HarperClusterReconciler::clusterOf)
                        .build(), context);
        // The data volume claims (labelled by the StatefulSet's selector, which the StatefulSet controller copies from
        // the claim template): a larger storage.size resizes them, and a resize that completes reconciles at once.
        InformerEventSource<PersistentVolumeClaim, HarperCluster> claims = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(PersistentVolumeClaim.class, HarperCluster.class)
                        .withName(CLAIMS_EVENT_SOURCE)
                        .withLabelSelector(ResourceNames.LABEL_NAME + "=" + ResourceNames.APP_NAME)
                        .withSecondaryToPrimaryMapper(HarperClusterReconciler::clusterOf)
                        .build(), context);
        return List.of(nodes, statefulSets, services, budgets, networkPolicies, pods, claims);
    }

    /** The cluster a managed object belongs to, by its instance label (pods carry no owner reference to it). */
    static Set<ResourceID> clusterOf(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        Map<String, String> labels = resource.getMetadata().getLabels();
        String instance = labels == null ? null : labels.get(ResourceNames.LABEL_INSTANCE);
        return instance == null ? Set.of() : Set.of(new ResourceID(instance, resource.getMetadata().getNamespace()));
    }

    /** One named step of a round: reads and writes the round's {@link ClusterRound}. */
    private record Step(String name, boolean evenWhenStopped, BiConsumer<ClusterRound, Context<HarperCluster>> action) {
    }

    /**
     * A round, in order (docs/design.md, "A round"). A stopped round (paused, or its resources cannot be made)
     * runs only the steps that say so.
     */
    private List<Step> steps() {
        return List.of(
                new Step("ensure workloads", false, this::ensureWorkloads),
                new Step("resolve members", false, this::resolveMembers),
                new Step("observe", false, this::observe),
                new Step("drain leaving members", false, this::drain),
                new Step("plan", false, (round, context) -> plan(round)),
                new Step("act", false, this::act),
                new Step("settle scale-down", false, this::settleScaleDown),
                new Step("expand volumes", false, this::expandVolumes),
                new Step("admit client traffic", false, this::admitClientTraffic),
                new Step("build status", true, (round, context) -> {
                    buildStatus(round);
                    clusterMetrics.record(round.cluster, round.status, round.observations);
                    clusterMetrics.retainOnly(() -> context.getPrimaryCache().list());
                }),
                new Step("write status", true, (round, context) -> writeClusterStatus(context.getClient(), round)),
                new Step("roll pods", false, this::rollPods),
                new Step("write node statuses", false, this::writeNodeStatuses),
                new Step("schedule the next poll", true, (round, context) -> scheduleNextPoll(round, backoff)));
    }

    @Override
    public UpdateControl<HarperCluster> reconcile(HarperCluster cluster, Context<HarperCluster> context) {
        ClusterRound round = new ClusterRound(cluster, clock.instant(), pollInterval(cluster.getSpec()));
        round.unwrittenStatus = unwritten.get(String.valueOf(cluster.getMetadata().getUid()));
        for (Step step : steps) {
            if (!round.stopped() || step.evenWhenStopped()) {
                LOG.debug("cluster {}: {}", round.describe(), step.name());
                step.action().accept(round, context);
            }
        }
        return UpdateControl.<HarperCluster>noUpdate().rescheduleAfter(round.nextPoll);
    }

    /**
     * Managed clusters: stops the round when the StatefulSet cannot be built, or its admin Secret is missing
     * while instances may hold its password (a condition and an Event say why; retried on the poll interval,
     * never thrown); else the admin Secret, the Services, the PodDisruptionBudget and the NetworkPolicy (when wanted), and the StatefulSet as it
     * stands (written once, by {@link #settleScaleDown}).
     */
    void ensureWorkloads(ClusterRound round, Context<HarperCluster> context) {
        KubernetesClient client = context.getClient();
        round.secrets = new RoundSecrets(client, round.cluster.getMetadata().getNamespace());
        if (!round.managed()) {
            return;
        }
        round.configurationProblem = managed.configurationProblem(round.cluster).orElse(null);
        if (round.configurationProblem != null) {
            return;
        }
        ManagedResources.Current current = ManagedResources.Current.of(context);
        round.configurationProblem = managed.foreignObject(client, round.cluster, current).orElse(null);
        if (round.configurationProblem != null) {
            return;
        }
        round.configurationProblem = managed.ensureAdminSecret(client, round.cluster, round.secrets, current).orElse(null);
        if (round.configurationProblem != null) {
            return;
        }
        // every ordinal the StatefulSet has or is about to have holds its certificate before the StatefulSet is written
        StatefulSet existing = managed.existingStatefulSet(round.cluster, current);
        int existingReplicas = existing == null || existing.getSpec().getReplicas() == null ? 0 : existing.getSpec().getReplicas();
        List<Pod> runningPods = statefulSetPods(context);
        try {
            round.certificates = managed.ensureCertificates(client, round.cluster, round.secrets,
                    Math.max(ManagedMembers.replicas(round.cluster), existingReplicas), existingReplicas, round.now,
                    batch -> runBatch(runningPods, batch));
            if (round.certificates.waitingFor() != null) {
                round.certificatesCondition = Conditions.of(CERTIFICATES_CONDITION, false, ConfigurationError.CERTIFICATES_PENDING,
                        round.certificates.waitingFor(), round.generation);
            }
            certificateMetrics.record(round.cluster, round.certificates);
        } catch (ManagedResources.CertificatesProblem e) {
            round.configurationProblem = e.problem();
            return;
        }
        // the pods are labelled before the client Service selects by that label, so that existing clusters keep serving
        List<Pod> pods = statefulSetPods(context);
        boolean selectsServing = current.get(Service.class, ResourceNames.clientService(round.cluster))
                .map(s -> s.getSpec().getSelector() != null && s.getSpec().getSelector().containsKey(ResourceNames.LABEL_SERVING))
                .orElse(true);
        ClientTraffic.apply(client, round.cluster.getMetadata().getName(), pods,
                ClientTraffic.changes(pods, ResourceNames.statefulSet(round.cluster), ManagedMembers.replicas(round.cluster), selectsServing));
        managed.ensureServices(client, round.cluster, current);
        managed.ensureDisruptionBudget(client, round.cluster, current);
        managed.ensureNetworkPolicy(client, round.cluster, current);
        round.currentStatefulSet = managed.existingStatefulSet(round.cluster, current);
    }

    /**
     * Every pod of the cluster runs this batch of certificates (its annotation, copied from the pod template), and none is
     * on its way out (a terminating pod still runs its old certificates).
     */
    static boolean runBatch(List<Pod> pods, String batch) {
        return pods.stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() == null && p.getMetadata().getAnnotations() != null
                && batch.equals(p.getMetadata().getAnnotations().get(io.harperdb.operator.resources.MemberCertificates.ISSUED_ANNOTATION)));
    }

    /**
     * The HarperNodes naming the cluster, and its managed pods: staying ones and those leaving on a scale-down. From
     * the informer caches, the HarperNodes of every cluster in the namespace: the names they declare, and the members
     * an earlier cluster has ({@link IdentityClaims}).
     */
    void resolveMembers(ClusterRound round, Context<HarperCluster> context) {
        round.nodes = context.getSecondaryResourcesAsStream(HarperNode.class).toList();
        round.members = MemberResolver.resolve(round.cluster, round.nodes, round.secrets);
        if (round.managed()) {
            StatefulSet current = round.currentStatefulSet;
            round.desiredReplicas = ManagedMembers.replicas(round.cluster);
            round.currentReplicas = current == null || current.getSpec().getReplicas() == null ? 0 : current.getSpec().getReplicas();
            round.managedMembers = MemberResolver.managed(round.cluster, round.desiredReplicas, round.currentReplicas, addresses,
                    round.secrets, HarperContainer.plainOperationsOnly(statefulSetPods(context)));
            round.members = round.members.plus(round.managedMembers);
        }
        String namespace = round.cluster.getMetadata().getNamespace();
        round.claimed = IdentityClaims.claimedElsewhere(round.cluster, round.members.staying(), declaring(context),
                name -> context.getPrimaryCache().get(new ResourceID(name, namespace)));
    }

    /** The HarperNodes of any cluster having an identity key ({@link IdentityClaims#identityKeys}), from the informer's index. */
    private static Function<String, List<HarperNode>> declaring(Context<HarperCluster> context) {
        @SuppressWarnings("unchecked")
        InformerEventSource<HarperNode, HarperCluster> nodes = (InformerEventSource<HarperNode, HarperCluster>) context
                .eventSourceRetriever().getEventSourceFor(HarperNode.class, NODES_EVENT_SOURCE);
        return key -> nodes.byIndex(IdentityClaims.INDEX, key);
    }

    /** cluster_status (and routes) of every member whose credentials could be read. */
    void observe(ClusterRound round, Context<HarperCluster> context) {
        round.observations = observer.observe(round.members.all().stream().filter(ClusterMember::contactable)
                .filter(m -> MemberResolver.urlProblem(m) == null && !round.claimed.containsKey(m.resourceName())).toList(),
                readHints(round, round.managed() ? statefulSetPods(context) : List.of()));
        Map<String, String> versions = new java.util.TreeMap<>();
        for (ClusterMember member : round.members.staying()) {
            MemberObservation observed = member.name() == null ? null : round.observations.get(member.name());
            String version = observed != null && observed.reachable() ? observer.version(member) : null;
            if (version != null) {
                versions.put(member.name(), version);
            }
        }
        round.versions = versions;
        // of the names the members list, those a HarperNode of the namespace declares: the planner never prunes them
        Set<String> listed = new java.util.HashSet<>();
        round.observations.values().stream().filter(o -> o.status() != null)
                .forEach(o -> o.status().peers().forEach(p -> listed.add(p.name())));
        round.declaredInNamespace = IdentityClaims.declaredAmong(round.cluster.getMetadata().getNamespace(), listed, declaring(context));
    }

    /**
     * What tells the observer which reads it can reuse: whether the previous round found the cluster Ready at this
     * generation, each managed pod's UID and restart count (a restart the operator can see), and the routes written.
     */
    static ClusterObserver.ReadHints readHints(ClusterRound round, List<Pod> pods) {
        HarperClusterStatus previous = round.previousStatus();
        boolean settled = previous != null && previous.getPhase() == Phase.READY
                && Objects.equals(previous.getObservedGeneration(), round.generation);
        Map<String, String> podIncarnations = new HashMap<>();
        for (Pod pod : pods) {
            int restarts = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? 0
                    : pod.getStatus().getContainerStatuses().stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
            podIncarnations.put(pod.getMetadata().getName(), pod.getMetadata().getUid() + "/" + restarts);
        }
        Map<String, String> incarnations = new HashMap<>();
        for (ClusterMember m : round.managedMembers.all()) {
            String incarnation = podIncarnations.get(m.resourceName());
            if (m.name() != null && incarnation != null) {
                incarnations.put(m.name(), incarnation);
            }
        }
        Map<String, List<Route>> written = new HashMap<>();
        writtenRoutes(previous).forEach((name, routes) -> {
            if (name != null) {
                written.put(name, toClientRoutes(routes));
            }
        });
        return new ClusterObserver.ReadHints(settled, incarnations, written);
    }

    /**
     * Managed clusters shrinking: which leaving members are still draining (their client traffic cut, their writes
     * still on their way to the staying members, see {@link Drain}). Those are not removed from the mesh yet.
     */
    void drain(ClusterRound round, Context<HarperCluster> context) {
        String uid = round.cluster.getMetadata().getUid();
        if (!round.managed() || round.managedMembers.leaving().isEmpty()) {
            drainSamples.remove(uid);
            return;
        }
        List<Pod> pods = statefulSetPods(context);
        Map<String, Drain.Sample> previous = drainSamples.getOrDefault(uid, Map.of());
        Map<String, Drain.Sample> next = new HashMap<>();
        for (ClusterMember member : round.managedMembers.leaving()) {
            Drain.Verdict verdict = Drain.judge(member.name(), ClientTraffic.cut(pods, member.resourceName()), round.members.staying(),
                    round.observations, previous.get(member.name()), round.now);
            if (verdict.sample() != null) {
                next.put(member.name(), verdict.sample());
            }
            if (!verdict.drained()) {
                round.draining.put(member.name(), member.resourceName() + " (waiting for " + verdict.waiting() + ")");
            }
        }
        drainSamples.put(uid, next);
    }

    /**
     * Managed clusters: a staying pod that does not take client traffic yet (new, restarted, or back on an old
     * volume) gets it once its member is ready in the mesh ({@link ClusterHealth#ready}) and caught up with its
     * peers ({@link Drain#joined}).
     */
    void admitClientTraffic(ClusterRound round, Context<HarperCluster> context) {
        String uid = round.cluster.getMetadata().getUid();
        if (!round.managed()) {
            return;
        }
        List<Pod> pods = statefulSetPods(context);
        ClusterHealth health = new ClusterHealth(round.members.staying(), round.observations, round.plan.invalid().keySet());
        Map<String, Drain.Sample> previous = joinSamples.getOrDefault(uid, Map.of());
        Map<String, Drain.Sample> next = new HashMap<>();
        Set<String> caughtUp = new java.util.TreeSet<>();
        for (ClusterMember member : round.managedMembers.staying()) {
            if (ClientTraffic.serving(pods, member.resourceName()) || !health.ready(member.name())) {
                continue;
            }
            // peers that do not answer are not waited for: a member down must not keep new pods from serving
            List<ClusterMember> peers = round.members.staying().stream().filter(m -> health.reachable(m.name())).toList();
            Drain.Verdict verdict = Drain.joined(member.name(), peers, round.observations,
                    previous.get(member.name()), round.now);
            if (verdict.drained()) {
                caughtUp.add(member.resourceName());
            } else if (verdict.sample() != null) {
                next.put(member.name(), verdict.sample());
            }
        }
        if (next.isEmpty()) {
            joinSamples.remove(uid);    // nothing held for a cluster whose pods all serve
        } else {
            joinSamples.put(uid, next);
        }
        ClientTraffic.apply(context.getClient(), round.cluster.getMetadata().getName(), pods,
                ClientTraffic.admitted(pods, ResourceNames.statefulSet(round.cluster), round.desiredReplicas, caughtUp));
    }

    /** The planner's answer, given the routes written so far and the links down kept in status. Pure. */
    static void plan(ClusterRound round) {
        round.writtenRoutes = writtenRoutes(round.previousStatus());
        PlanInput input = planInput(round.cluster.getSpec(), round.members, round.observations, round.writtenRoutes,
                round.claimed, round.declaredInNamespace, round.draining.keySet())
                .healing(round.now, ClusterStatusBuilder.linksDown(round.previousStatus()))
                .strayBefore(ClusterStatusBuilder.strays(round.previousStatus()));
        round.plan = ReplicationPlanner.plan(input);
    }

    /** Sends the plan; a route edit that took is recorded as written. */
    void act(ClusterRound round, Context<HarperCluster> context) {
        Map<String, ClusterMember> byName = new LinkedHashMap<>();
        round.members.all().forEach(m -> byName.put(m.name(), m));
        String uid = round.cluster.getMetadata().getUid();
        String writesKey = String.valueOf(uid); // a null UID (tests' clusters) is a key too
        List<PlannedOperation> now = heldAfterWrite(lastWrites.get(writesKey), clock.instant())
                ? List.of() : spacing.admit(uid, round.plan.operations(), clock.instant());
        round.results = executor.execute(round.cluster, now, byName);
        spacing.sent(uid, now, clock.instant());
        recordWrittenRoutes(round.results, round.observations, round.writtenRoutes);
        lastWrites.values().removeIf(t -> !t.plus(SETTLING_WINDOW).isAfter(round.now));
        if (round.results.stream().anyMatch(r -> r.succeeded() && !r.skipped())) {
            // when the batch ended, not when the round began: a batch can take seconds (add_node answers once connected)
            lastWrites.put(writesKey, clock.instant());
        }
        round.lastWrite = lastWrites.get(writesKey);
    }

    /**
     * Managed clusters: the one write of the StatefulSet this round. Growing takes effect at once; shrinking
     * waits until no remaining member records the leaving pods ({@link ScaleDown}).
     */
    void settleScaleDown(ClusterRound round, Context<HarperCluster> context) {
        if (!round.managed()) {
            return;
        }
        int replicas = scaleDown(round);
        // a new ordinal only once it holds its certificate (cert-manager issues them a while after being asked)
        if (replicas > round.currentReplicas && round.certificates.ready() < replicas) {
            replicas = Math.max(round.currentReplicas, round.certificates.ready());
        }
        if (replicas < round.currentReplicas) {
            LOG.info("cluster {}: the leaving pods are out of the mesh; StatefulSet down to {} replicas", round.describe(), replicas);
        }
        VersionGate.Decision versions = VersionGate.decide(round.cluster, round.currentStatefulSet, round.versions.values(), round.generation);
        round.versionCondition = versions.condition();
        round.statefulSet = managed.ensureStatefulSet(context.getClient(), round.cluster, replicas, round.certificates.issued(),
                ManagedResources.Current.of(context), versions.heldImage());
    }

    /** Managed clusters: data claims smaller than storage.size are resized where they can be ({@link VolumeExpansion}). */
    void expandVolumes(ClusterRound round, Context<HarperCluster> context) {
        if (!round.managed()) {
            return;
        }
        round.storageCondition = managed.expandVolumes(context.getClient(), round.cluster,
                context.getSecondaryResourcesAsStream(PersistentVolumeClaim.class).toList(), round.generation).orElse(null);
    }

    /** The StatefulSet's replicas this round, and the leaving pods still recorded ({@code round.stillLeaving}). Pure. */
    static int scaleDown(ClusterRound round) {
        Set<String> recorded = round.desiredReplicas < round.currentReplicas
                ? ScaleDown.stillRecorded(round.members.staying(), round.managedMembers.leaving(), round.observations)
                : Set.of();
        round.stillLeaving = round.managedMembers.leaving().stream().filter(m -> recorded.contains(m.name()))
                .map(ClusterMember::resourceName).toList();
        return ScaleDown.replicas(round.desiredReplicas, round.currentReplicas, !recorded.isEmpty());
    }

    /** The cluster's status, in one pass. Pure. */
    static void buildStatus(ClusterRound round) {
        round.status = ClusterStatusBuilder.cluster(round.previousStatus(), round.forStatus());
        if (!round.stopped()) {
            Conditions.append(round.previousStatus(), round.status, round.storageCondition, round.now);
            Conditions.append(round.previousStatus(), round.status, round.versionCondition, round.now);
            Conditions.append(round.previousStatus(), round.status, round.certificatesCondition, round.now);
            if (round.status.getMembers() != null) {
                round.status.getMembers().forEach(m -> m.setVersion(round.versions.get(m.getName())));
            }
            round.status.setVersion(VersionGate.summary(round.versions.values()));
        }
        round.status.setTls(tlsStatus(round));
    }

    /** This round's certificates; a round that stopped before them keeps what the previous status said. Pure. */
    static io.harperdb.operator.api.TlsStatus tlsStatus(ClusterRound round) {
        if (round.certificates == null) {
            return round.managed() && round.previousStatus() != null ? round.previousStatus().getTls() : null;
        }
        io.harperdb.operator.api.TlsStatus tls = new io.harperdb.operator.api.TlsStatus();
        tls.setIssuer(round.certificates.issuer());
        tls.setCaExpiry(round.certificates.caExpiry().toString());
        round.certificates.expiries().values().stream().min(Instant::compareTo).ifPresent(e -> tls.setCertificatesExpiry(e.toString()));
        tls.setCertificatesIssued(round.certificates.issued());
        return tls;
    }

    /** Deletes the next pod whose template is out of date, when the whole cluster is Ready (see {@link RollingRestart}). */
    void rollPods(ClusterRound round, Context<HarperCluster> context) {
        if (round.statefulSet == null || round.status.getPhase() != Phase.READY) {
            return;
        }
        String prefix = ResourceNames.statefulSet(round.cluster) + "-";
        List<RollingRestart.PodState> pods = context.getSecondaryResourcesAsStream(Pod.class)
                .filter(p -> p.getMetadata().getName().startsWith(prefix))
                .map(p -> new RollingRestart.PodState(p.getMetadata().getName(), ordinal(p.getMetadata().getName(), prefix),
                        TemplateHash.current(p), p.getMetadata().getDeletionTimestamp() != null, isReady(p)))
                .toList();
        int replicas = round.statefulSet.getSpec().getReplicas() == null ? 0 : round.statefulSet.getSpec().getReplicas();
        RollingRestart.next(TemplateHash.desired(round.statefulSet), replicas, pods)
                .ifPresent(pod -> managed.restartPod(context.getClient(), round.cluster, pod));
    }

    /** The status of each HarperNode that is a staying member. */
    void writeNodeStatuses(ClusterRound round, Context<HarperCluster> context) {
        ClusterStatusBuilder.Round forStatus = round.forStatus();
        EventRecorder events = new EventRecorder(context.getClient());
        for (HarperNode node : round.nodes) {
            round.members.staying().stream().filter(m -> m.resourceName().equals(node.getMetadata().getName())).findFirst()
                    .ifPresent(member -> {
                        HarperNodeStatus status = ClusterStatusBuilder.node(node.getStatus(), member, forStatus,
                                Optional.ofNullable(node.getMetadata().getGeneration()).orElse(0L));
                        reportIdentityConflict(events, round.cluster, node, status);
                        reportTls(events, node, status);
                        if (!NodeStatusWriter.write(context.getClient(), node, status)) {
                            round.statusUnwritten = true;   // built afresh next round, which comes soon
                        }
                    });
        }
    }

    /** A Warning Event on the cluster when one of its HarperNodes becomes a duplicate or is found another cluster's. */
    private static void reportIdentityConflict(EventRecorder events, HarperCluster cluster, HarperNode node, HarperNodeStatus status) {
        io.fabric8.kubernetes.api.model.Condition now = Conditions.find(status.getConditions(), Conditions.READY);
        io.fabric8.kubernetes.api.model.Condition before = node.getStatus() == null ? null
                : Conditions.find(node.getStatus().getConditions(), Conditions.READY);
        if (now != null && (IdentityClaims.DUPLICATE.equals(now.getReason()) || IdentityClaims.CLAIMED.equals(now.getReason()))
                && (before == null || !Objects.equals(before.getMessage(), now.getMessage()))) {
            LOG.warn("cluster {}/{}: {}", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(), now.getMessage());
            events.warning(cluster, now.getReason(), now.getMessage());
        }
    }

    /**
     * A Warning Event on a HarperNode, once per new message, when its CA bundle Secret cannot be used (nothing is sent
     * to it). The message names the Secret and key, never their content. (Verification turned off is said by the
     * TlsVerificationDisabled condition only: every plain-http HarperNode has it, and an Event each would be noise.)
     */
    void reportTls(EventRecorder events, HarperNode node, HarperNodeStatus status) {
        String uid = String.valueOf(node.getMetadata().getUid());
        io.fabric8.kubernetes.api.model.Condition ready = Conditions.find(status.getConditions(), Conditions.READY);
        if (ready == null || !OperationsTrust.CA_BUNDLE_UNAVAILABLE.equals(ready.getReason())) {
            reportedTrustProblems.remove(uid);
            return;
        }
        io.fabric8.kubernetes.api.model.Condition readyBefore = Conditions.find(
                node.getStatus() == null ? null : node.getStatus().getConditions(), Conditions.READY);
        // the node in the cache may not show the status the last round wrote yet: what was reported is remembered too
        String reported = reportedTrustProblems.put(uid, ready.getMessage());
        if ((readyBefore == null || !Objects.equals(readyBefore.getMessage(), ready.getMessage()))
                && !Objects.equals(reported, ready.getMessage())) {
            LOG.warn("HarperNode {}/{}: {}", node.getMetadata().getNamespace(), node.getMetadata().getName(), ready.getMessage());
            events.warning(node, ready.getReason(), ready.getMessage());
        }
    }

    /** The managed pods of the cluster, from the informer cache. */
    private static List<Pod> statefulSetPods(Context<HarperCluster> context) {
        return context.getSecondaryResourcesAsStream(Pod.class).toList();
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
        return planInput(spec, members, observations, writtenRoutes, Map.of(), Set.of(), Set.of());
    }

    /**
     * @param claimed             members an earlier cluster has, by resource name: left out, nothing is sent to them
     * @param declaredInNamespace the names the HarperNodes of the namespace declare: never pruned
     * @param draining            leaving members not drained yet: declared, but not removed (see {@link Drain})
     */
    static PlanInput planInput(HarperClusterSpec spec, MemberResolver.Members members, Map<String, MemberObservation> observations,
                               Map<String, List<io.harperdb.operator.api.Route>> writtenRoutes, Map<String, String> claimed,
                               Set<String> declaredInNamespace, Set<String> draining) {
        // Members without credentials stay desired (so never taken for strays); not being observed, they
        // count as unreachable and nothing is sent to or about them.
        // Members whose url or operationsUrl does not parse are left out: nothing is sent to or about them;
        // so are members another cluster has.
        List<DesiredMember> desired = members.staying().stream()
                .filter(m -> MemberResolver.urlProblem(m) == null && !claimed.containsKey(m.resourceName()))
                .map(m -> new DesiredMember(m.name(), m.connection(), m.subscriptions()))
                .toList();
        Map<String, ObservedMember> observed = new HashMap<>();
        observations.forEach((name, o) -> {
            if (name != null) {
                observed.put(name, new ObservedMember(name, o.status(), o.loadedRoutes(), toClientRoutes(writtenRoutes.get(name)),
                        o.certificateIssuer()));
            }
        });
        // a leaving member without a name was never added: there is nothing to remove; nor is a name that a
        // staying member still declares (two declared it, one is deleted), valid or not
        Set<String> staying = members.staying().stream().map(ClusterMember::name).filter(Objects::nonNull).collect(Collectors.toSet());
        Set<String> leaving = members.leaving().stream().filter(m -> MemberResolver.urlProblem(m) == null)
                .map(ClusterMember::name).filter(Objects::nonNull).filter(name -> !staying.contains(name))
                .filter(name -> !draining.contains(name)).collect(Collectors.toSet());
        // An invalid member is not desired, yet it is declared: its record (if any) is no stray to prune.
        boolean prune = spec.getReplication() != null && Boolean.TRUE.equals(spec.getReplication().getPruneUnknownNodes())
                && members.staying().stream().allMatch(m -> MemberResolver.urlProblem(m) == null);
        // every name a resource declares, desired here or not, is never taken for a stray
        Set<String> declaredElsewhere = new java.util.HashSet<>(declaredInNamespace);
        declaredElsewhere.addAll(staying);
        return new PlanInput(desired, observed, leaving, toClientRoutes(desiredRoutes(spec)), prune)
                .declaredElsewhere(declaredElsewhere).withDraining(draining);
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

    /**
     * When to look again. Ready or stopped: the poll interval; links forming after a write ({@link #settling}): very
     * soon; failing (an operation failed, or phase Failed or Degraded): backoff by how long the cluster has not been
     * Ready (its Ready condition's lastTransitionTime, kept in status), at most the poll interval; converging: soon.
     * Pure but for the backoff's jitter.
     */
    static void scheduleNextPoll(ClusterRound round, Backoff backoff) {
        HarperClusterStatus status = round.status;
        // cert-manager usually issues within seconds, but may never (a broken issuer): looked at again with backoff
        boolean waitingForCertificates = !round.paused && round.configurationProblem != null
                && ConfigurationError.CERTIFICATES_PENDING.equals(round.configurationProblem.reason());
        boolean failed = round.results.stream().anyMatch(r -> !r.succeeded() && !r.skipped())
                || status.getPhase() == Phase.FAILED || status.getPhase() == Phase.DEGRADED || waitingForCertificates;
        if (round.statusUnwritten) {
            round.nextPoll = CONVERGING_INTERVAL;
        } else if ((round.stopped() && !waitingForCertificates) || status.getPhase() == Phase.READY) {
            round.nextPoll = round.pollInterval;
        } else if (settling(round)) {
            round.nextPoll = SETTLING_INTERVAL;
        } else if (failed) {
            Duration delay = backoff.delayAfter(Duration.between(notReadySince(status, round.now), round.now));
            round.nextPoll = delay.compareTo(round.pollInterval) > 0 ? round.pollInterval : delay;
        } else {
            round.nextPoll = CONVERGING_INTERVAL;
        }
    }

    /**
     * Whether a round sends HarperDB nothing because the cluster's last write is less than {@link #CONVERGING_INTERVAL}
     * old: the settling rounds look every {@link #SETTLING_INTERVAL}, but their operations keep the spacing of the
     * converging cadence, since 4.7.29 loses a member's connections when link calls about it come about 0.5 s apart
     * (compatibility row 21). The plan is made again by a later round.
     */
    static boolean heldAfterWrite(Instant lastWrite, Instant now) {
        return lastWrite != null && Duration.between(lastWrite, now).compareTo(CONVERGING_INTERVAL) < 0;
    }

    /**
     * Links may be forming: HarperDB was written to less than {@link #SETTLING_WINDOW} ago, and this round sent nothing
     * (a round that writes waits {@link #CONVERGING_INTERVAL} or backs off as before, so a plan that writes every round
     * is not sped up) and nothing failed.
     */
    private static boolean settling(ClusterRound round) {
        return round.results.stream().allMatch(OperationResult::skipped) && round.lastWrite != null
                && Duration.between(round.lastWrite, round.now).compareTo(SETTLING_WINDOW) < 0;
    }

    /** When the Ready condition last turned False; {@code now} when it cannot be read. */
    static Instant notReadySince(HarperClusterStatus status, Instant now) {
        return status.getConditions() == null ? now : status.getConditions().stream()
                .filter(c -> Conditions.READY.equals(c.getType()) && "False".equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .findFirst()
                .map(c -> {
                    try {
                        return Instant.parse(c.getLastTransitionTime());
                    } catch (RuntimeException e) {
                        return now;
                    }
                })
                .orElse(now);
    }

    private static Duration pollInterval(HarperClusterSpec spec) {
        try {
            return Durations.parse(spec.getPollInterval() == null ? "30s" : spec.getPollInterval());
        } catch (IllegalArgumentException e) {
            return Duration.ofSeconds(30);
        }
    }

    /**
     * Writes the round's status when it differs from the cluster's. A write refused with 409 Conflict is kept for the
     * next round (soon, {@link #CONVERGING_INTERVAL}), which starts from it and writes it; any other failure is kept
     * too, and thrown.
     */
    private void writeClusterStatus(KubernetesClient client, ClusterRound round) {
        HarperCluster cluster = round.cluster;
        HarperClusterStatus status = round.status;
        String uid = String.valueOf(cluster.getMetadata().getUid());
        if (StatusComparison.same(cluster.getStatus(), status)) {
            unwritten.remove(uid);
            return;
        }
        LOG.info("cluster {}/{}: phase {}, ready {}{}", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(),
                status.getPhase(), status.getReadyMembers(), problems(status));
        try {
            client.resources(HarperCluster.class).inNamespace(cluster.getMetadata().getNamespace())
                    .withName(cluster.getMetadata().getName())
                    .editStatus(current -> {
                        current.setStatus(status);
                        return current;
                    });
            unwritten.remove(uid);
        } catch (KubernetesClientException e) {
            unwritten.put(uid, status);
            round.statusUnwritten = true;
            if (e.getCode() != 409) {
                throw e;
            }
            LOG.warn("cluster {}: status write refused (409 Conflict); the next round writes it", round.describe());
        }
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
}
