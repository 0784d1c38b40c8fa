package io.harperdb.operator.reconciler;

import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether the staying members have received what a leaving member wrote, so that it may be removed from the
 * mesh (remove_node) without losing writes. Pure.
 *
 * <p>The signal (docs/harperdb-compatibility.md, "Drain"): in each staying member's {@code cluster_status}, the
 * connection to the leaving member has one socket per database, each with {@code lastReceivedVersion}, the
 * version (HarperDB's timestamp, ms since the epoch) of the last transaction received from that member. Once
 * the leaving member takes no client traffic, these stop moving when everything it wrote has arrived. A
 * leaving member is drained when its client traffic is cut and, on every staying member, every socket of its
 * connection is connected and its {@code lastReceivedVersion} has not changed for {@link #QUIET}, measured from
 * a sample taken after the cut.
 */
public final class Drain {
    /**
     * How long the received versions must stand still. Covers the time for the Service's endpoints to drop the
     * pod (kube-proxy, a second or two) and the replication delay of a healthy link (milliseconds, measured).
     */
    public static final Duration QUIET = Duration.ofSeconds(5);

    private Drain() {
    }

    /**
     * What the staying members report having received from one leaving member: staying member -> database ->
     * {@code lastReceivedVersion} (as text; "none" when not reported), and when it was seen first like this.
     */
    public record Sample(Map<String, Map<String, String>> received, Instant since) {
    }

    /**
     * The verdict on one leaving member.
     *
     * @param sample  what to compare the next round with (null: start again)
     * @param waiting what it waits for, for the status; null when drained
     */
    public record Verdict(boolean drained, Sample sample, String waiting) {
        static Verdict waiting(Sample sample, String why) {
            return new Verdict(false, sample, why);
        }
    }

    /**
     * @param leaving      the leaving member's node name
     * @param trafficCut   its pod no longer receives client traffic (or is gone)
     * @param staying      the members that stay
     * @param observations this round's observations, by member name
     * @param previous     the sample of an earlier round, or null
     */
    public static Verdict judge(String leaving, boolean trafficCut, List<ClusterMember> staying,
                                Map<String, MemberObservation> observations, Sample previous, Instant now) {
        if (!trafficCut) {
            return Verdict.waiting(null, "its client traffic to stop");
        }
        Map<String, Map<String, String>> received = new TreeMap<>();
        for (ClusterMember survivor : staying) {
            MemberObservation seen = observations.get(survivor.name());
            if (seen == null || !seen.reachable()) {
                // it could not be asked: nothing shows that it has what the leaving member wrote
                return Verdict.waiting(null, survivor.name() + " to answer");
            }
            Optional<PeerConnection> link = seen.status().peer(leaving);
            if (link.isEmpty()) {
                continue;    // no record of the leaving member: it never replicated with it
            }
            Map<String, String> versions = new TreeMap<>();
            for (DatabaseSocket socket : link.get().sockets()) {
                if (!socket.isConnected()) {
                    return Verdict.waiting(null, survivor.name() + " to be connected to it (database " + socket.database() + ")");
                }
                versions.put(String.valueOf(socket.database()),
                        socket.lastReceivedVersion() == null ? "none" : String.valueOf(socket.lastReceivedVersion()));
            }
            received.put(survivor.name(), versions);
        }
        if (previous == null || !previous.received().equals(received)) {
            return Verdict.waiting(new Sample(received, now), "its writes to reach the staying members");
        }
        if (Duration.between(previous.since(), now).compareTo(QUIET) < 0) {
            return Verdict.waiting(previous, "its writes to reach the staying members");
        }
        return new Verdict(true, previous, null);
    }
}
