package io.harperdb.replication.sidecar;

import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides readiness from what each poll saw; pure apart from its own memory of earlier polls
 * (no clock, no I/O), so every transition can be tested.
 *
 * <p>How HarperDB 4.7.29 shows an initial copy (read in its bundled source, bin/harperdb.js, and seen
 * on real instances, see docs/sidecar.md): a node that has never received anything from its "leader"
 * (the first other node in its hdb_nodes) asks it for a full copy of each database (hdb.log: "Requesting
 * full copy of database data from wss://..."). The sender walks every table and sends the records
 * without a sequence marker until the last one. The receiver sets {@code lastReceivedStatus} to
 * "Receiving" on every record and back to "Waiting" only on a sequence marker, so on the receiving
 * node the socket of that peer and database reads "Receiving" from the first record until the copy is
 * complete (then "Waiting", with {@code lastReceivedVersion} 0). The sender shows
 * {@code sendingMessage: "Copying"} for the receiver meanwhile, but the sidecar only asks its own node,
 * and nothing else in cluster_status tells a copy from ordinary replication. So:
 *
 * <ul>
 *   <li>Until the member has caught up once, a socket seen "Receiving" is taken as a copy (or a catch
 *       up after a restart) in progress; it completes when the same socket is seen no longer
 *       "Receiving".</li>
 *   <li>The {@code system} database is left out. On the first join both sides ask the other for a
 *       full copy of it (the newcomer is the old member's first peer, hence its leader), so counting
 *       it would make the serving member unready whenever the first peer joins; it holds a handful
 *       of records and arrives before the data.</li>
 *   <li>Ready = HarperDB answers GET /health and no copy seen is still in progress. A member that
 *       was never seen copying (the first member, alone; or one whose copy was over between two polls)
 *       is ready.</li>
 *   <li>Once a seen copy has completed with none left in progress, readiness latches: from then on
 *       the member is ready whenever HarperDB answers. Peers that stop, disconnect or leave never make
 *       it unready again: that would turn one failure into an outage.</li>
 *   <li>Until a first cluster_status has been read (credentials unreadable, HarperDB refusing) the
 *       member is not ready: the sidecar cannot tell whether it is copying. A cluster_status that
 *       fails later changes nothing: the copies last seen stand.</li>
 * </ul>
 *
 * A copy from a peer that stops half way stays in progress (the member has not caught up) until that
 * peer is back and the copy completes, or until the peer leaves cluster_status altogether (removed:
 * its copy can never complete, and waiting for it would keep the member unready for good).
 */
public final class ReadinessJudge {
    static final String RECEIVING = "Receiving";
    static final String SYSTEM_DATABASE = "system";

    /** One database copied from one peer. */
    record Copy(String peer, String database) implements Comparable<Copy> {
        @Override
        public int compareTo(Copy other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return database + " from " + peer;
        }
    }

    private final Set<Copy> copiesInProgress = new TreeSet<>();
    private boolean statusSeen;
    private boolean caughtUp;

    /**
     * @param healthy whether GET /health answered
     * @param status  this poll's cluster_status, or null when it could not be had
     */
    public Readiness judge(boolean healthy, ClusterStatus status) {
        if (!healthy) {
            return Readiness.notReady("HarperDB does not answer GET /health");
        }
        if (caughtUp) {
            return Readiness.ready("HarperDB answers and this member has caught up with its peers");
        }
        if (status == null && !statusSeen) {
            return Readiness.notReady("cluster_status could not be read yet, so an initial copy cannot be ruled out");
        }
        // A failed cluster_status is no news about copies: the last known ones stand.
        boolean completedNow = false;
        if (status != null) {
            statusSeen = true;
            completedNow = follow(status);
        }
        if (!copiesInProgress.isEmpty()) {
            return Readiness.notReady("initial copy in progress: " + copiesInProgress.stream().map(Copy::toString)
                    .collect(Collectors.joining(", ")));
        }
        if (completedNow) {
            caughtUp = true;
            return Readiness.ready("HarperDB answers and its initial copy has completed");
        }
        return Readiness.ready("HarperDB answers and no initial copy is in progress");
    }

    /** Whether readiness has latched (a seen copy completed). */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Adds the copies this poll shows, removes those it shows complete; true if one completed. */
    private boolean follow(ClusterStatus status) {
        Set<Copy> receiving = new TreeSet<>();
        Set<Copy> listed = new TreeSet<>();
        Set<String> listedPeers = new TreeSet<>();
        for (PeerConnection peer : status.peers()) {
            String name = peer.name() != null ? peer.name() : peer.url();
            listedPeers.add(name);
            for (DatabaseSocket socket : peer.sockets()) {
                Copy copy = new Copy(name, String.valueOf(socket.database()));
                listed.add(copy);
                if (RECEIVING.equals(socket.lastReceivedStatus()) && !SYSTEM_DATABASE.equals(socket.database())) {
                    receiving.add(copy);
                }
            }
        }
        // Complete: its socket is listed and no longer receiving (a socket missing from this answer proves nothing).
        boolean completed = copiesInProgress.removeIf(copy -> listed.contains(copy) && !receiving.contains(copy));
        // A peer removed from the cluster will never finish its copy.
        copiesInProgress.removeIf(copy -> !listedPeers.contains(copy.peer()));
        copiesInProgress.addAll(receiving);
        return completed;
    }
}
