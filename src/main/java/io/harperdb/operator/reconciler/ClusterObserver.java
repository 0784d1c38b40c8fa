package io.harperdb.operator.reconciler;

import io.harperdb.replication.client.HarperClient;
import io.harperdb.replication.client.HarperOperationException;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.model.ClusterStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
public class ClusterObserver {
    /** Members of one round observed at the same time. */
    static final int PER_ROUND = 8;
    /** How long a member that did not answer is only probed; then it gets one observation with full timeouts. */
    static final Duration FULL_RETRY_AFTER = Duration.ofMinutes(10);

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

    public Map<String, MemberObservation> observe(List<ClusterMember> members) {
        Map<String, ClusterMember> byName = new LinkedHashMap<>();
        for (ClusterMember member : members) {
            if (member.name() != null) {
                byName.put(member.name(), member);
            }
        }
        Instant now = clock.instant();
        unanswered.values().removeIf(since -> !now.isBefore(since.plus(FULL_RETRY_AFTER)));
        Queue<ClusterMember> queue = new ConcurrentLinkedQueue<>(byName.values());
        Map<String, MemberObservation> observed = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(PER_ROUND, queue.size()); i++) {
            workers.add(CompletableFuture.runAsync(() -> {
                for (ClusterMember m = queue.poll(); m != null; m = queue.poll()) {
                    observed.put(m.name(), observe(m));
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

    private MemberObservation observe(ClusterMember member) {
        if (!member.contactable()) {
            return MemberObservation.failed(member.name(), Outcome.UNAUTHORIZED, member.contactProblem());
        }
        String key = member.operationsUrl();
        try {
            HarperClient client = clients.clientFor(member);
            ClusterStatus status = key != null && unanswered.containsKey(key)
                    ? clients.probeClientFor(member).clusterStatus()
                    : client.clusterStatus();
            // Membership from the persisted records, link states from cluster_status (which lags removals).
            MemberObservation answered = MemberObservation.answered(member.name(), status.withMembership(client.nodeRecords()),
                    client.getRoutes());
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
            return MemberObservation.failed(member.name(), e.outcome(), e.getMessage());
        } catch (RuntimeException e) {
            versions.forget(key);
            return MemberObservation.failed(member.name(), Outcome.UNREACHABLE, e.getMessage());
        }
    }
}
