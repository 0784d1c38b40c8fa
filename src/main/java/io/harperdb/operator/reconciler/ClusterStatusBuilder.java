package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.harperdb.operator.api.ConnectionStatus;
import io.harperdb.operator.api.ConnectionSummary;
import io.harperdb.operator.api.DatabaseSocketStatus;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.HarperNodeStatus;
import io.harperdb.operator.api.LinkDownStatus;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.ObservedSubscription;
import io.harperdb.operator.api.Phase;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.plan.LinkDown;
import io.harperdb.replication.plan.Plan;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the status of a HarperCluster and of its HarperNodes from one reconciliation round: what
 * the members answered, what was planned and what became of it. Pure, so that an unchanged cluster
 * yields an equal status and nothing is written. Volatile figures (latency, timestamps) are not kept.
 */
public final class ClusterStatusBuilder {
    /** The Ready reason of a HarperNode whose spec cannot work. */
    static final String INVALID_SPEC = "InvalidSpec";
    /**
     * Every member's links are listed (n * (n - 1) entries) up to this many members; past it, or past
     * {@link #CONNECTION_LISTS_MAX_BYTES}, each member's links are counted instead: the API server refuses objects of
     * about 1.5 MiB, and a status rewritten every change should stay far smaller.
     */
    static final int CONNECTIONS_LISTED_UP_TO = 16;
    /** The most JSON the members' connection lists may take (subscriptions and databases make entries large). */
    static final int CONNECTION_LISTS_MAX_BYTES = 128 * 1024;
    /** Peers named per member in a connection summary. */
    static final int NOT_CONNECTED_NAMED = 5;
    /** Links down kept in status (healing's memory), those down longest first. */
    static final int LINKS_DOWN_KEPT = 100;
    /** Items (problems, failures, names) a condition message lists before saying how many more there are. */
    static final int MESSAGE_ITEMS = 10;
    /** The longest condition message. */
    static final int MESSAGE_MAX_CHARS = 4000;
    /** The Scaling reason while leaving pods drain before their remove_node. */
    static final String DRAINING = "Draining";

    private ClusterStatusBuilder() {
    }

    /**
     * Everything one round learned that its status shows.
     *
     * @param paused               the pause annotation is set: nothing else was done
     * @param configurationProblem why the managed resources cannot be made or used (nothing else was done), or null
     * @param leavingPods          managed pods kept while they leave the mesh; null for a cluster without
     *                             managed instances (no Scaling condition)
     * @param tls                  the TlsVerification condition, or null
     * @param claimed              members an earlier cluster has, by resource name, with why ({@link IdentityClaims})
     * @param drainingPods         of the leaving pods, those still draining, each with what it waits for
     */
    public record Round(List<ClusterMember> members, Map<String, MemberObservation> observations, Plan plan,
                        List<OperationResult> results, Map<String, List<io.harperdb.operator.api.Route>> writtenRoutes,
                        long generation, Instant now, boolean paused, ConfigurationProblem configurationProblem, List<String> leavingPods,
                        Condition tls, Map<String, String> claimed, List<String> drainingPods) {

        public Round {
            claimed = claimed == null ? Map.of() : Map.copyOf(claimed);
            drainingPods = drainingPods == null ? List.of() : List.copyOf(drainingPods);
        }

        /** A round of a cluster without managed instances that did its work. */
        public Round(List<ClusterMember> members, Map<String, MemberObservation> observations, Plan plan,
                     List<OperationResult> results, Map<String, List<io.harperdb.operator.api.Route>> writtenRoutes,
                     long generation, Instant now) {
            this(members, observations, plan, results, writtenRoutes, generation, now, false, null, null, null, Map.of(), List.of());
        }

        /** A round that did nothing but say why (paused, or a configuration problem). */
        static Round stopped(long generation, Instant now, boolean paused, ConfigurationProblem configurationProblem) {
            return new Round(List.of(), Map.of(), EMPTY_PLAN, List.of(), Map.of(), generation, now, paused, configurationProblem,
                    null, null, Map.of(), List.of());
        }

        Round withLeavingPods(List<String> leavingPods) {
            return new Round(members, observations, plan, results, writtenRoutes, generation, now, paused, configurationProblem,
                    leavingPods, tls, claimed, drainingPods);
        }

        Round withClaimed(Map<String, String> claimed) {
            return new Round(members, observations, plan, results, writtenRoutes, generation, now, paused, configurationProblem,
                    leavingPods, tls, claimed, drainingPods);
        }

        Round withTls(Condition tls) {
            return new Round(members, observations, plan, results, writtenRoutes, generation, now, paused, configurationProblem,
                    leavingPods, tls, claimed, drainingPods);
        }

        Round withDraining(List<String> drainingPods) {
            return new Round(members, observations, plan, results, writtenRoutes, generation, now, paused, configurationProblem,
                    leavingPods, tls, claimed, drainingPods);
        }
    }

    private static final Plan EMPTY_PLAN = new Plan(List.of(), Set.of(), Set.of(), Set.of(), Set.of(), Map.of());

    /**
     * The cluster's status after a round, in one pass: Paused, else ConfigurationError, else what the members
     * answered with the Scaling condition (managed clusters), the TlsVerification condition (when it has one)
     * and the links down that healing tracks.
     */
    public static HarperClusterStatus cluster(HarperClusterStatus previous, Round round) {
        if (round.paused()) {
            return paused(previous, round.generation(), round.now());
        }
        if (round.configurationProblem() != null) {
            return ConfigurationError.status(previous, round.configurationProblem(), round.generation(), round.now());
        }
        List<Condition> extra = new ArrayList<>();
        if (round.leavingPods() != null) {
            extra.add(scaling(round.leavingPods(), round.drainingPods(), round.generation()));
        }
        if (round.tls() != null) {
            extra.add(round.tls());
        }
        tlsVerificationDisabled(round.members(), round.generation()).ifPresent(extra::add);
        HarperClusterStatus status = observed(previous, round, extra);
        if (round.leavingPods() != null && !round.leavingPods().isEmpty() && status.getPhase() == Phase.READY) {
            status.setPhase(Phase.RECONCILING);
        }
        status.setLinksDown(linksDown(round.plan().linksDown()));
        return status;
    }

    private static final String STRAYS_PREFIX = "nodes no resource declares: ";
    private static final String STRAYS_SEPARATOR = ", ";

    /**
     * The strays a previous status reported (its UnknownNodes condition): with pruneUnknownNodes, only these are
     * removed, so that a peer is pruned only when two rounds found no resource declaring it.
     */
    static Set<String> strays(HarperClusterStatus previous) {
        Condition unknown = previous == null ? null : Conditions.find(previous.getConditions(), Conditions.UNKNOWN_NODES);
        if (unknown == null || !"True".equals(unknown.getStatus()) || unknown.getMessage() == null
                || !unknown.getMessage().startsWith(STRAYS_PREFIX)) {
            return Set.of();
        }
        String list = unknown.getMessage().substring(STRAYS_PREFIX.length());
        int end = list.indexOf(" (");
        return new HashSet<>(List.of((end < 0 ? list : list.substring(0, end)).split(STRAYS_SEPARATOR)));
    }

    /**
     * The links down to keep, at most {@link #LINKS_DOWN_KEPT}: those down longest first (then by name), so that the
     * ones kept keep their healing times and the others, seen anew each round, take their places as they mend.
     */
    private static List<LinkDownStatus> linksDown(List<LinkDown> links) {
        return links.isEmpty() ? null : links.stream()
                .sorted(Comparator.comparing(LinkDown::since).thenComparing(LinkDown::a).thenComparing(LinkDown::b))
                .limit(LINKS_DOWN_KEPT)
                .map(l -> new LinkDownStatus(l.a(), l.b(), timestamp(l.since()), l.lastAttempt() == null ? null : timestamp(l.lastAttempt()),
                        l.lastRestart() == null ? null : timestamp(l.lastRestart())))
                .toList();
    }

    /** The links down a previous status recorded, for the planner; an entry that cannot be read is left out. */
    static List<LinkDown> linksDown(HarperClusterStatus previous) {
        if (previous == null || previous.getLinksDown() == null) {
            return List.of();
        }
        List<LinkDown> links = new ArrayList<>();
        for (LinkDownStatus l : previous.getLinksDown()) {
            try {
                links.add(new LinkDown(l.getA(), l.getB(), Instant.parse(l.getSince()),
                        l.getLastHealAttempt() == null ? null : Instant.parse(l.getLastHealAttempt()),
                        l.getLastWorkerRestart() == null ? null : Instant.parse(l.getLastWorkerRestart())));
            } catch (RuntimeException e) {    // edited by hand: that link starts again
            }
        }
        return links;
    }

    private static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static HarperClusterStatus observed(HarperClusterStatus previous, Round round, List<Condition> extraConditions) {
        List<String> names = round.members().stream().map(ClusterMember::name).toList();
        ClusterHealth health = health(round);
        List<String> credentialProblems = credentialProblems(round);
        List<String> trustProblems = round.members().stream().filter(ClusterMember::hasCredentials)
                .map(m -> m.trust().problem()).filter(java.util.Objects::nonNull).toList();
        Map<String, String> invalid = invalidMembers(round);
        List<String> failures = round.results().stream().filter(r -> !r.succeeded())
                .map(OperationResult::message).toList();
        List<String> healthProblems = health.problems();
        boolean sent = round.results().stream().anyMatch(r -> !r.skipped());
        long ready = health.readyCount();

        Phase phase = phase(names.size(), ready, !credentialProblems.isEmpty() || !trustProblems.isEmpty() || !invalid.isEmpty(), sent, round.plan().isEmpty(),
                !failures.isEmpty(), !round.plan().waitingFor().isEmpty());

        List<Condition> conditions = new ArrayList<>();
        long gen = round.generation();
        conditions.add(phase == Phase.READY
                ? Conditions.of(Conditions.READY, true, "AllMembersReady", ready + " of " + names.size() + " members connected to all others", gen)
                : names.isEmpty() ? Conditions.of(Conditions.READY, false, "NoMembers", "no HarperNode names this cluster", gen)
                : !invalid.isEmpty() ? Conditions.of(Conditions.READY, false, "InvalidMembers", capped(ready + " of " + names.size()
                + " members ready; left out as invalid: " + describe(invalid)), gen)
                : Conditions.of(Conditions.READY, false, "MembersNotReady", ready + " of " + names.size() + " members ready", gen));
        conditions.add(reconciled(round, credentialProblems, trustProblems, failures, gen));
        conditions.add(healthProblems.isEmpty()
                ? Conditions.of(Conditions.DEGRADED, false, "AllMembersConnected", "every member reachable and connected", gen)
                : Conditions.of(Conditions.DEGRADED, true, "MembersUnavailable", joinAtMost(healthProblems, "; "), gen));
        conditions.add(Conditions.of(Conditions.PAUSED, false, "ReconciliationActive", "", gen));
        if (!round.plan().strays().isEmpty()) {
            conditions.add(Conditions.of(Conditions.UNKNOWN_NODES, true, "NodesNotDeclared",
                    STRAYS_PREFIX + joinAtMost(List.copyOf(new TreeSet<>(round.plan().strays())), STRAYS_SEPARATOR)
                            + " (set spec.replication.pruneUnknownNodes to remove them)", gen));
        }
        conditions.addAll(extraConditions);

        HarperClusterStatus status = new HarperClusterStatus();
        status.setObservedGeneration(gen);
        status.setPhase(phase);
        status.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), conditions, round.now()));
        status.setReadyMembers(ready + "/" + names.size());
        status.setMembers(memberStatuses(round));
        List<String> pending = new ArrayList<>(new TreeSet<>(round.plan().routesPendingRestart()));
        status.setRoutesPendingRestart(pending.isEmpty() ? null : pending);
        return status;
    }

    /**
     * The phase rule. Ready only when every declared member is valid, reachable and linked to every peer
     * it replicates with ({@code ready == members}), nothing was to be sent and nobody is waited for; a
     * declaration that cannot work (credentials, invalid spec) is Failed, since retrying will not fix it.
     */
    static Phase phase(int members, long ready, boolean misdeclared, boolean sent, boolean planEmpty, boolean failed,
                       boolean waiting) {
        if (members == 0) {
            return Phase.PENDING;
        }
        if (misdeclared) {
            return Phase.FAILED;
        }
        if (sent || !planEmpty) {
            return failed ? Phase.DEGRADED : Phase.RECONCILING;
        }
        return ready == members && !waiting ? Phase.READY : Phase.DEGRADED;
    }

    /** Health as the planner sees the members: those it left out are never ready. */
    static ClusterHealth health(Round round) {
        // Members left out for their urls are invalid as those the planner left out.
        Set<String> invalid = new HashSet<>(round.plan().invalid().keySet());
        round.members().stream().filter(m -> m.name() != null && MemberResolver.urlProblem(m) != null)
                .forEach(m -> invalid.add(m.name()));
        round.members().stream().filter(m -> m.name() != null && round.claimed().containsKey(m.resourceName()))
                .forEach(m -> invalid.add(m.name()));
        return new ClusterHealth(round.members(), round.observations(), invalid);
    }

    /** Each invalid declared member, by its resource name, with what is wrong. */
    private static Map<String, String> invalidMembers(Round round) {
        Map<String, String> invalid = new TreeMap<>();
        for (ClusterMember m : round.members()) {
            String problem = invalidReason(m, round);
            if (problem != null) {
                invalid.put(m.resourceName(), problem);
            }
        }
        return invalid;
    }

    /**
     * Why the planner left this member out, or null; a member without a name needs a hostname or url. A duplicate
     * names the other members of its name; a member another cluster has names that cluster.
     */
    static String invalidReason(ClusterMember member, Round round) {
        if (member.name() == null || member.name().isBlank()) {
            return "needs hostname or url";
        }
        String urls = MemberResolver.urlProblem(member);
        if (urls != null) {
            return urls;
        }
        String claim = round.claimed().get(member.resourceName());
        if (claim != null) {
            return claim;
        }
        String problem = round.plan().invalid().get(member.name());
        if (problem == null) {
            return null;
        }
        List<String> twins = duplicates(member, round);
        return twins.isEmpty() ? member.name() + " " + problem
                : "declares node name " + member.name() + ", as does " + String.join(", ", twins);
    }

    /** The other members the planner saw that declare this member's node name (left out for a url or a claim: not). */
    private static List<String> duplicates(ClusterMember member, Round round) {
        return IdentityClaims.twins(member, round.members().stream()
                .filter(m -> MemberResolver.urlProblem(m) == null && !round.claimed().containsKey(m.resourceName()))
                .toList());
    }

    /** The HarperNode Ready reason of an invalid member. */
    private static String invalidReasonCode(ClusterMember member, Round round) {
        if (MemberResolver.urlProblem(member) == null && round.claimed().containsKey(member.resourceName())) {
            return IdentityClaims.CLAIMED;
        }
        if (round.plan().invalid().containsKey(member.name()) && !duplicates(member, round).isEmpty()) {
            return IdentityClaims.DUPLICATE;
        }
        return INVALID_SPEC;
    }

    private static String describe(Map<String, String> invalid) {
        return joinAtMost(invalid.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList(), ", ");
    }

    /**
     * The first {@link #MESSAGE_ITEMS} items, then how many more: a condition message says what is wrong without
     * growing with the cluster (every link down of a large cluster would not fit in an object).
     */
    static String joinAtMost(List<String> items, String separator) {
        String listed = String.join(separator, items.subList(0, Math.min(items.size(), MESSAGE_ITEMS)));
        return capped(items.size() > MESSAGE_ITEMS ? listed + separator + "and " + (items.size() - MESSAGE_ITEMS) + " more" : listed);
    }

    /** At most {@link #MESSAGE_MAX_CHARS} characters (a failure message quotes what a member answered). */
    static String capped(String message) {
        return message.length() <= MESSAGE_MAX_CHARS ? message : message.substring(0, MESSAGE_MAX_CHARS - 1) + "\u2026";
    }

    /**
     * The Scaling condition of a cluster with managed instances: True while the StatefulSet keeps pods that are
     * being removed from the mesh before it shrinks (phase Reconciling meanwhile).
     */
    static Condition scaling(List<String> leavingPods, long generation) {
        return scaling(leavingPods, List.of(), generation);
    }

    /**
     * As above; while leaving pods drain (no client traffic, their writes still on the way to the staying
     * members), reason Draining, naming each with what it waits for.
     */
    static Condition scaling(List<String> leavingPods, List<String> drainingPods, long generation) {
        if (!drainingPods.isEmpty()) {
            return Conditions.of(Conditions.SCALING, true, DRAINING, "draining " + String.join(", ", drainingPods)
                    + " before removing them from the mesh and scaling down", generation);
        }
        return leavingPods.isEmpty()
                ? Conditions.of(Conditions.SCALING, false, "AtDesiredReplicas", "", generation)
                : Conditions.of(Conditions.SCALING, true, "RemovingMembers",
                "removing " + String.join(", ", leavingPods) + " from the mesh before scaling down", generation);
    }

    /** The status of a paused cluster: the previous one, with phase Paused and the Paused condition. */
    public static HarperClusterStatus paused(HarperClusterStatus previous, long generation, Instant now) {
        HarperClusterStatus status = previous == null ? new HarperClusterStatus() : copy(previous);
        List<Condition> conditions = new ArrayList<>(previous == null || previous.getConditions() == null
                ? List.of() : previous.getConditions().stream().filter(c -> !Conditions.PAUSED.equals(c.getType())).toList());
        conditions.add(Conditions.of(Conditions.PAUSED, true, "AnnotationSet",
                "annotation " + Annotations.PAUSE + " is \"true\": nothing is written", generation));
        status.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), conditions, now));
        status.setPhase(Phase.PAUSED);
        return status;
    }

    public static HarperNodeStatus node(HarperNodeStatus previous, ClusterMember member, Round round, long generation) {
        String invalid = invalidReason(member, round);
        if (invalid != null) {
            return invalidNode(previous, member.resourceName(), invalidReasonCode(member, round), invalid, generation, round.now());
        }
        ClusterHealth health = health(round);
        MemberObservation observation = round.observations().get(member.name());
        Phase phase;
        Condition ready;
        if (!member.hasCredentials()) {
            phase = Phase.FAILED;
            ready = Conditions.of(Conditions.READY, false, "CredentialsUnavailable", member.credentialsProblem(), generation);
        } else if (member.trust().problem() != null) {
            phase = Phase.FAILED;
            ready = Conditions.of(Conditions.READY, false, OperationsTrust.CA_BUNDLE_UNAVAILABLE, member.trust().problem(), generation);
        } else if (observation != null && (observation.failure() == Outcome.UNAUTHORIZED || observation.failure() == Outcome.FORBIDDEN)) {
            phase = Phase.FAILED;
            ready = Conditions.of(Conditions.READY, false, "AuthenticationFailed", observation.failureMessage(), generation);
        } else if (!health.reachable(member.name())) {
            phase = Phase.DEGRADED;
            ready = Conditions.of(Conditions.READY, false, "Unreachable",
                    observation == null ? "not observed" : observation.failureMessage(), generation);
        } else if (health.ready(member.name()) && round.plan().isEmpty()) {
            phase = Phase.READY;
            ready = Conditions.of(Conditions.READY, true, "Connected", "connected to every reachable member", generation);
        } else {
            phase = Phase.RECONCILING;
            ready = Conditions.of(Conditions.READY, false, "Joining", "not yet connected to every reachable member", generation);
        }
        HarperNodeStatus status = new HarperNodeStatus();
        status.setObservedGeneration(generation);
        status.setPhase(phase);
        List<Condition> conditions = new ArrayList<>(List.of(ready));
        tlsVerificationDisabled(member, generation).ifPresent(conditions::add);
        status.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), conditions, round.now()));
        status.setConnections(observation == null || observation.status() == null ? null : connections(observation));
        return status;
    }

    /** A HarperNode's {@link Conditions#TLS_VERIFICATION_DISABLED} condition, True, when the operator does not verify its certificate; else none. */
    static java.util.Optional<Condition> tlsVerificationDisabled(ClusterMember member, long generation) {
        OperationsTrust trust = member.trust();
        return trust.unverifiedReason() == null ? java.util.Optional.empty() : java.util.Optional.of(Conditions.of(
                Conditions.TLS_VERIFICATION_DISABLED, true, trust.unverifiedReason(), trust.message(), generation));
    }

    /** The cluster's {@link Conditions#TLS_VERIFICATION_DISABLED} condition, True, naming its HarperNodes whose certificates the operator does not verify. */
    static java.util.Optional<Condition> tlsVerificationDisabled(List<ClusterMember> members, long generation) {
        List<String> unverified = members.stream().filter(m -> m.trust().unverifiedReason() != null)
                .map(m -> m.resourceName() + " (" + m.trust().unverifiedReason() + ")").sorted().toList();
        return unverified.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Conditions.of(
                Conditions.TLS_VERIFICATION_DISABLED, true, "UnverifiedMembers", capped("the operator does not verify the "
                        + "Operations API certificate of HarperNodes " + joinAtMost(unverified, ", ")
                        + "; their TlsVerificationDisabled conditions say why"), generation));
    }

    /**
     * The status of a HarperNode whose spec cannot work: phase Failed, Ready False with reason InvalidSpec.
     * Written by both reconcilers (the node's own one sees it even without its cluster), so built in one place.
     */
    public static HarperNodeStatus invalidNode(HarperNodeStatus previous, String resourceName, String problem, long generation,
                                               Instant now) {
        return invalidNode(previous, resourceName, INVALID_SPEC, problem, generation, now);
    }

    /** As {@link #invalidNode(HarperNodeStatus, String, String, long, Instant)}, with this Ready reason. */
    static HarperNodeStatus invalidNode(HarperNodeStatus previous, String resourceName, String reason, String problem,
                                        long generation, Instant now) {
        HarperNodeStatus status = new HarperNodeStatus();
        status.setObservedGeneration(generation);
        status.setPhase(Phase.FAILED);
        status.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(),
                List.of(Conditions.of(Conditions.READY, false, reason,
                        "HarperNode " + resourceName + " " + problem + ": nothing is sent to or about it", generation)), now));
        return status;
    }

    private static Condition reconciled(Round round, List<String> credentialProblems, List<String> trustProblems,
                                        List<String> failures, long gen) {
        if (!credentialProblems.isEmpty()) {
            return Conditions.of(Conditions.RECONCILED, false, "CredentialsUnavailable", joinAtMost(credentialProblems, "; "), gen);
        }
        if (!trustProblems.isEmpty()) {
            return Conditions.of(Conditions.RECONCILED, false, OperationsTrust.CA_BUNDLE_UNAVAILABLE, joinAtMost(trustProblems, "; "), gen);
        }
        if (!failures.isEmpty()) {
            return Conditions.of(Conditions.RECONCILED, false, "OperationsFailed", joinAtMost(failures, "; "), gen);
        }
        if (!round.plan().invalid().isEmpty() || !round.claimed().isEmpty()
                || round.members().stream().anyMatch(m -> MemberResolver.urlProblem(m) != null)) {
            return Conditions.of(Conditions.RECONCILED, false, "InvalidMembers", describe(invalidMembers(round)), gen);
        }
        if (!round.results().isEmpty()) {
            return Conditions.of(Conditions.RECONCILED, true, "OperationsApplied", round.results().size() + " operations sent", gen);
        }
        if (!round.plan().waitingFor().isEmpty()) {
            return Conditions.of(Conditions.RECONCILED, false, "WaitingForMembers",
                    "waiting for unreachable members: " + joinAtMost(List.copyOf(new TreeSet<>(round.plan().waitingFor())), ", "), gen);
        }
        return Conditions.of(Conditions.RECONCILED, true, "UpToDate", "the members' replication matches the spec", gen);
    }

    private static List<String> credentialProblems(Round round) {
        List<String> problems = new ArrayList<>();
        for (ClusterMember m : round.members()) {
            MemberObservation o = round.observations().get(m.name());
            if (!m.hasCredentials()) {
                problems.add(m.credentialsProblem());
            } else if (o != null && (o.failure() == Outcome.UNAUTHORIZED || o.failure() == Outcome.FORBIDDEN)) {
                problems.add("member " + m.name() + " refused the credentials of its Secret: " + o.failure());
            }
        }
        return problems;
    }

    /**
     * One entry per named member, with its links listed while the cluster is small ({@link #CONNECTIONS_LISTED_UP_TO}
     * members, {@link #CONNECTION_LISTS_MAX_BYTES} of lists), else counted. Only what status shows: Ready and
     * Degraded are judged on the full observations ({@link ClusterHealth}), never on this.
     */
    private static List<MemberStatus> memberStatuses(Round round) {
        List<ClusterMember> named = round.members().stream()
                .filter(m -> m.name() != null)   // nothing to mirror of a member without hostname or url
                .toList();
        if (named.size() <= CONNECTIONS_LISTED_UP_TO) {
            List<MemberStatus> listed = named.stream()
                    .map(m -> memberStatus(m, round.observations().get(m.name()), round.writtenRoutes().get(m.name()), true))
                    .toList();
            if (jsonBytes(listed) <= CONNECTION_LISTS_MAX_BYTES) {
                return listed;
            }
        }
        return named.stream()
                .map(m -> memberStatus(m, round.observations().get(m.name()), round.writtenRoutes().get(m.name()), false))
                .toList();
    }

    private static int jsonBytes(Object value) {
        try {
            return StatusComparison.MAPPER.writeValueAsBytes(value).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Integer.MAX_VALUE;   // cannot tell: count, do not list
        }
    }

    private static MemberStatus memberStatus(ClusterMember member, MemberObservation observation,
                                             List<io.harperdb.operator.api.Route> writtenRoutes, boolean listConnections) {
        MemberStatus status = new MemberStatus();
        status.setName(member.name());
        boolean reachable = observation != null && observation.reachable();
        status.setUrl(reachable && observation.status().url() != null ? observation.status().url() : member.url());
        status.setReachable(reachable);
        if (reachable && listConnections) {
            status.setConnections(connections(observation));
        } else if (reachable) {
            status.setConnectionSummary(summary(observation));
        }
        status.setWrittenRoutes(writtenRoutes == null || writtenRoutes.isEmpty() ? null : writtenRoutes);
        return status;
    }

    /** The member's links counted, with the first few not connected by name. */
    static ConnectionSummary summary(MemberObservation observation) {
        List<PeerConnection> peers = observation.status().peers();
        List<String> notConnected = peers.stream().filter(p -> !p.isConnected()).map(p -> String.valueOf(p.name())).sorted().toList();
        return new ConnectionSummary(peers.size() - notConnected.size(), notConnected.size(),
                notConnected.isEmpty() ? null : notConnected.subList(0, Math.min(notConnected.size(), NOT_CONNECTED_NAMED)));
    }

    private static List<ConnectionStatus> connections(MemberObservation observation) {
        return observation.status().peers().stream()
                .sorted(Comparator.comparing(p -> String.valueOf(p.name())))
                .map(ClusterStatusBuilder::connection)
                .toList();
    }

    private static ConnectionStatus connection(PeerConnection peer) {
        ConnectionStatus c = new ConnectionStatus();
        c.setName(peer.name());
        c.setUrl(peer.url());
        c.setReplicates(peer.replicates());
        c.setSubscriptions(peer.subscriptions() == null ? null : peer.subscriptions().stream()
                .map(s -> new ObservedSubscription(s.database(), s.table(), s.subscribe(), s.publish()))
                .toList());
        c.setConnected(peer.isConnected());
        c.setDatabases(peer.sockets().stream()
                .sorted(Comparator.comparing(s -> String.valueOf(s.database())))
                .map(s -> {
                    DatabaseSocketStatus d = new DatabaseSocketStatus();
                    d.setDatabase(s.database());
                    d.setConnected(s.isConnected());
                    d.setBackPressurePercent(s.backPressurePercent());
                    d.setLastReceivedStatus(s.lastReceivedStatus());
                    return d;
                })
                .toList());
        return c;
    }

    private static HarperClusterStatus copy(HarperClusterStatus s) {
        return StatusComparison.MAPPER.convertValue(s, HarperClusterStatus.class);
    }
}
