package io.harperdb.operator.reconciler;

import io.harperdb.replication.model.DatabaseSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the staying members have received what a leaving member wrote, so that it may be removed from the
 * mesh (remove_node) without losing writes. Pure.
 *
 * <p>The signal (docs/harperdb-compatibility.md, "Drain before remove"): in each staying member's
 * {@code cluster_status}, the connection to the leaving member has one socket per database, each with
 * {@code lastReceivedVersion}: how far (a HarperDB timestamp, ms since the epoch) the staying member has read the
 * leaving member's stream of changes, which carries the leaving member's own writes and the changes it relays, in
 * order. Once the leaving member's client traffic is cut (first seen at {@code cutSeen}), a socket is caught up
 * when its version passes {@code cutSeen + QUIET} (everything the leaving member committed before then has
 * arrived), or, in a database where nothing moves any more, when its version has not changed for {@link #QUIET}
 * since the cut. A leaving member is drained when every socket of its connection on every staying member is
 * connected and caught up; once drained it stays so.
 */
public final class Drain {
    /**
     * The margin after the cut: for the Service's endpoints to drop the pod (kube-proxy, a second or two), for
     * requests routed before that to finish, and for the clocks of the operator and the pod to differ. Also how
     * long a version must stand still. Replication itself took milliseconds on a healthy link (measured).
     */
    public static final Duration QUIET = Duration.ofSeconds(5);

    private Drain() {
    }

    /** One socket of one staying member's connection to the leaving member, and since when it reads so. */
    public record Position(String version, Instant since) {
    }

    /**
     * What the staying members reported of one leaving member, kept from round to round.
     *
     * @param cutSeen   when its client traffic was first seen cut
     * @param positions "staying member/database" -> its lastReceivedVersion ("none" when not reported)
     * @param drained   it was found drained: it stays so
     */
    public record Sample(Instant cutSeen, Map<String, Position> positions, boolean drained) {
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
     * @param previous     the sample of the previous round, or null
     */
    public static Verdict judge(String leaving, boolean trafficCut, List<ClusterMember> staying,
                                Map<String, MemberObservation> observations, Sample previous, Instant now) {
        if (!trafficCut) {
            return Verdict.waiting(null, "its client traffic to stop");
        }
        Map<String, List<DatabaseSocket>> links = new TreeMap<>();
        for (ClusterMember survivor : staying) {
            MemberObservation seen = observations.get(survivor.name());
            if (seen == null || !seen.reachable()) {
                // it could not be asked: nothing shows that it has what the leaving member wrote
                return Verdict.waiting(restart(previous, now), survivor.name() + " to answer");
            }
            // no record of the leaving member: it does not replicate with it
            seen.status().peer(leaving).ifPresent(link -> links.put(survivor.name(), link.sockets()));
        }
        return caughtUp(links, previous, now);
    }

    /**
     * Whether a member that (re)joins has received what its peers hold, from its own {@code cluster_status}: the
     * same rule, on its own sockets of each peer, timed from when it was first seen ready in the mesh. Until then
     * it takes no client traffic, so that clients never read from a member that is still catching up.
     */
    public static Verdict joined(String member, List<ClusterMember> peers, Map<String, MemberObservation> observations,
                                 Sample previous, Instant now) {
        MemberObservation seen = observations.get(member);
        if (seen == null || !seen.reachable()) {
            return Verdict.waiting(null, "it to answer");
        }
        Map<String, List<DatabaseSocket>> links = new TreeMap<>();
        for (ClusterMember peer : peers) {
            if (!peer.name().equals(member)) {
                seen.status().peer(peer.name()).ifPresent(link -> links.put(peer.name(), link.sockets()));
            }
        }
        return caughtUp(links, previous, now);
    }

    /** A sample that keeps when the cut (or the join) was first seen, and forgets the positions. */
    private static Sample restart(Sample previous, Instant now) {
        return new Sample(previous == null ? now : previous.cutSeen(), Map.of(), false);
    }

    /**
     * The rule of the class over {@code links} (name of the other end -> the sockets one side reports): every
     * socket connected, and each read past {@code cutSeen + QUIET} or standing still for {@link #QUIET}.
     */
    static Verdict caughtUp(Map<String, List<DatabaseSocket>> links, Sample previous, Instant now) {
        if (previous != null && previous.drained()) {
            return new Verdict(true, previous, null);
        }
        Instant cutSeen = previous == null ? now : previous.cutSeen();
        Map<String, Position> before = previous == null ? Map.of() : previous.positions();
        Map<String, Position> positions = new TreeMap<>();
        String behind = null;
        for (Map.Entry<String, List<DatabaseSocket>> link : links.entrySet()) {
            for (DatabaseSocket socket : link.getValue()) {
                if (!socket.isConnected()) {
                    return Verdict.waiting(restart(previous, now), link.getKey() + " to be connected to it (database " + socket.database() + ")");
                }
                String key = link.getKey() + "/" + socket.database();
                String version = socket.lastReceivedVersion() == null ? "none" : String.valueOf(socket.lastReceivedVersion());
                Position was = before.get(key);
                Position position = was != null && was.version().equals(version) ? was : new Position(version, now);
                positions.put(key, position);
                if (behind == null && !caughtUp(socket.lastReceivedVersion(), position, cutSeen, now)) {
                    behind = key;
                }
            }
        }
        if (behind != null) {
            return Verdict.waiting(new Sample(cutSeen, positions, false), "its writes to reach " + behind);
        }
        if (Duration.between(cutSeen, now).compareTo(QUIET) < 0) {
            return Verdict.waiting(new Sample(cutSeen, positions, false), "its writes to reach the staying members");
        }
        return new Verdict(true, new Sample(cutSeen, positions, true), null);
    }

    /** Read past the cut and its margin, or unchanged for {@link #QUIET} since a sample taken after the cut. */
    private static boolean caughtUp(Object version, Position position, Instant cutSeen, Instant now) {
        if (version instanceof Number number && number.doubleValue() >= cutSeen.plus(QUIET).toEpochMilli()) {
            return true;
        }
        return Duration.between(position.since(), now).compareTo(QUIET) >= 0;
    }
}
