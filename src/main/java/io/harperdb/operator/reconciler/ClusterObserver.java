package io.harperdb.operator.reconciler;

import io.harperdb.replication.client.ClusterStatusReply;
import io.harperdb.replication.client.HarperClient;
import io.harperdb.replication.client.HarperOperationException;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.NodeRecord;
import io.harperdb.replication.model.PeerConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;

/**
 * Reads cluster_status, the hdb_nodes records and cluster_get_routes of every member in parallel, so that one slow or
 * unreachable member costs one timeout, not one per member. Members without credentials are not
 * called; members without a name (neither hostname nor url) are left out: nothing can be sent to or
 * about them, and a null key would break every map built from the result.
 *
 * <p>Fault isolation: each round observes its members on threads of its own ({@link #PER_ROUND} at a time, on an
 * executor that makes a thread per task), so a cluster whose members hang never makes another cluster's round
 * wait for a thread. A member that did not answer (timed out or unreachable) is probed in the next rounds with one
 * short cluster_status call ({@link HarperClientFactory#probeClientFor}) and observed in full only once that answers,
 * so a hung member costs its own cluster one full timeout, then one short one per round; every
 * {@link #FULL_RETRY_AFTER} it gets full timeouts again, for a member that is only slow.
 *
 * <p>Reads per poll ({@link ReadHints}; docs/design.md, "Reads per poll"): cluster_status is read every poll. The routes
 * a member loaded change only when it restarts, so they are read again only at the first observation, after a restart
 * the operator can see (its pod's UID or restart count changed, or it did not answer last time), while routes the
 * operator wrote have not shown yet, and every {@link #SLOW_EVERY}th poll. The hdb_nodes records are read again
 * unless the cluster was Ready at this generation in the previous round and the member's cluster_status shows the
 * same peers and kinds of record as when they were last read; and every {@link #SLOW_EVERY}th poll, for a change made
 * outside the operator that cluster_status does not show (it lags removals).
 */
public class ClusterObserver {
    /** Members of one round observed at the same time. */
    static final int PER_ROUND = 8;
    /** How long a member that did not answer is only probed; then it gets one observation with full timeouts. */
    static final Duration FULL_RETRY_AFTER = Duration.ofMinutes(10);
    /** Records and routes that are reused are read again at least every this many polls of a member. */
    static final int SLOW_EVERY = 10;
    /** What was last read of members (by {@link #key}) that are reused until {@link ReadHints} say otherwise. */
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
    private volatile Instant lastSweep = Instant.MIN;

    private final HarperClientFactory clients;
    private final ExecutorService executor;
    private final Clock clock;
    /** Operations API urls of members that did not answer, with when that was first seen (of those still failing). */
    private final Map<String, Instant> unanswered = new ConcurrentHashMap<>();
    /** Each member's HarperDB version, read at a slow cadence. */
    private final MemberVersions versions = new MemberVersions();

    /** @param executor runs each task at once on a thread of its own (a cached pool): rounds never queue behind each other */
    public ClusterObserver(HarperClientFactory clients, ExecutorService executor, Clock clock) {
        this.clients = clients;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * What a round knows that tells which reads can be reused (null: read everything, as for a member seen first).
     *
     * @param settled       the cluster was Ready at its current generation in the previous round: nothing was to be
     *                      done, so the records read then still hold unless cluster_status shows otherwise
     * @param incarnations  by member name, what identifies the running instance (a managed pod's UID and restart
     *                      count); a change means a restart; members without one are not in it
     * @param writtenRoutes by member name, the routes the operator last wrote to its config (from status)
     */
    public record ReadHints(boolean settled, Map<String, String> incarnations, Map<String, List<Route>> writtenRoutes) {
        public ReadHints {
            incarnations = Map.copyOf(incarnations);
            writtenRoutes = Map.copyOf(writtenRoutes);
        }
    }

    /** What was last read of a member, and how many polls ago. */
    private record Remembered(String incarnation, List<PeerConnection> recordsSeenWith, List<NodeRecord> records, int recordsAge,
                              List<Route> routes, int routesAge, Instant seen) {
    }

    /** Every read of every member, as for members seen first. */
    public Map<String, MemberObservation> observe(List<ClusterMember> members) {
        return observe(members, null);
    }

    public Map<String, MemberObservation> observe(List<ClusterMember> members, ReadHints hints) {
        Map<String, ClusterMember> byName = new LinkedHashMap<>();
        for (ClusterMember member : members) {
            if (member.name() != null) {
                byName.put(member.name(), member);
            }
        }
        Instant now = clock.instant();
        unanswered.values().removeIf(since -> !now.isBefore(since.plus(FULL_RETRY_AFTER)));
        if (now.isAfter(lastSweep.plus(FULL_RETRY_AFTER))) {
            // members not observed lately (their cluster or resource is gone) are forgotten
            lastSweep = now;
            remembered.values().removeIf(r -> now.isAfter(r.seen().plus(FULL_RETRY_AFTER)));
        }
        Queue<ClusterMember> queue = new ConcurrentLinkedQueue<>(byName.values());
        Map<String, MemberObservation> observed = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(PER_ROUND, queue.size()); i++) {
            workers.add(CompletableFuture.runAsync(() -> {
                for (ClusterMember m = queue.poll(); m != null; m = queue.poll()) {
                    observed.put(m.name(), observe(m, hints, now));
                }
            }, executor));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
        Map<String, MemberObservation> result = new LinkedHashMap<>();
        byName.keySet().forEach(name -> result.put(name, observed.get(name)));
        return result;
    }

    /**
     * The HarperDB version the member reported when last read ({@link MemberVersions}: at most every 10 minutes, and
     * after it was seen not answering); null when unknown.
     */
    String version(ClusterMember member) {
        return versions.known(member.operationsUrl());
    }

    /** Whether the member at this Operations API url is only probed now (it did not answer lately). */
    boolean probedOnly(String operationsUrl) {
        return unanswered.containsKey(operationsUrl);
    }

    private static String key(ClusterMember member) {
        return member.name() + " " + member.operationsUrl();
    }

    private MemberObservation observe(ClusterMember member, ReadHints hints, Instant now) {
        if (!member.contactable()) {
            return MemberObservation.failed(member.name(), Outcome.UNAUTHORIZED, member.contactProblem());
        }
        String key = member.operationsUrl();
        try {
            HarperClient client = clients.clientFor(member);
            ClusterStatusReply reply = key != null && unanswered.containsKey(key)
                    ? clients.probeClientFor(member).clusterStatusReply()
                    : client.clusterStatusReply();
            ClusterStatus status = reply.status();
            // Membership from the persisted records, link states from cluster_status (which lags removals).
            Remembered before = hints == null || (key != null && unanswered.containsKey(key)) ? null : remembered.get(key(member));
            String incarnation = hints == null ? null : hints.incarnations().get(member.name());
            if (before != null && !Objects.equals(before.incarnation(), incarnation)) {
                before = null;     // restarted: its routes may have changed, and its records be older
            }
            List<PeerConnection> recordsSeenWith = recordKinds(status);
            boolean readRecords = before == null || !hints.settled() || before.recordsAge() + 1 >= SLOW_EVERY
                    || !before.recordsSeenWith().equals(recordsSeenWith);
            List<Route> written = hints == null ? null : hints.writtenRoutes().get(member.name());
            boolean readRoutes = before == null || before.routesAge() + 1 >= SLOW_EVERY
                    || (written != null && !new HashSet<>(written).equals(new HashSet<>(before.routes())));
            List<NodeRecord> records = readRecords ? client.nodeRecords() : before.records();
            List<Route> routes = readRoutes ? client.getRoutes() : before.routes();
            MemberObservation answered = MemberObservation.answered(member.name(), status.withMembership(records), routes,
                    reply.certificateIssuer());
            if (hints != null) {
                // the routes start halfway through their cadence, so that the two slow reads fall on different polls
                remembered.put(key(member), new Remembered(incarnation, recordsSeenWith, records, readRecords ? 0 : before.recordsAge() + 1,
                        routes, readRoutes ? (before == null ? SLOW_EVERY / 2 : 0) : before.routesAge() + 1, now));
            }
            if (key != null) {
                unanswered.remove(key);
            }
            versions.version(key, clock.instant(), client::version);
            return answered;
        } catch (HarperOperationException e) {
            if (key != null && (e.outcome() == Outcome.TIMED_OUT || e.outcome() == Outcome.UNREACHABLE)) {
                unanswered.putIfAbsent(key, clock.instant());
            }
            versions.forget(key);
            remembered.remove(key(member));     // it may be restarting: everything is read when it answers again
            return MemberObservation.failed(member.name(), e.outcome(), e.getMessage());
        } catch (RuntimeException e) {
            versions.forget(key);
            remembered.remove(key(member));
            return MemberObservation.failed(member.name(), Outcome.UNREACHABLE, e.getMessage());
        }
    }

    /** The peers cluster_status lists with the kind of record each has (replicates, subscriptions), by name: no sockets. */
    private static List<PeerConnection> recordKinds(ClusterStatus status) {
        List<PeerConnection> kinds = new ArrayList<>(status.peers().size());
        for (PeerConnection p : status.peers()) {
            kinds.add(new PeerConnection(p.name(), p.url(), p.replicates(), p.subscriptions(), null));
        }
        kinds.sort(Comparator.comparing(p -> String.valueOf(p.name())));
        return kinds;
    }
}
