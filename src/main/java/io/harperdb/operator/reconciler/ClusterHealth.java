package io.harperdb.operator.reconciler;

import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.model.Subscription;
import io.harperdb.replication.plan.ReplicationPlanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges members and links from what every member answered. A link counts as connected when every side
 * that receives something over it reports all its database sockets connected: both sides between two
 * full members (each side's sockets are its own connections, over which it receives the other's writes;
 * on 4.7.29 one side's connection can die for good while the other's stays up, row 29), the receiving
 * side with a partial member (HarperDB shows a partial member's links without sockets on the peers' side
 * and connected on the receiving side). Only links the
 * planner makes are expected (a link that would carry nothing is not), and members the planner judged
 * invalid are never ready: nothing is sent to or about them.
 */
public final class ClusterHealth {
    private final List<String> members;
    private final Map<String, List<Subscription>> subscriptions = new HashMap<>();
    private final Set<String> invalid;
    private final Map<String, MemberObservation> observations;
    /** Each answering member's peers by name: a large cluster asks for n^2 links. */
    private final Map<String, Map<String, PeerConnection>> peers = new HashMap<>();

    /**
     * @param members      the declared (staying) members
     * @param observations what each answered, by name
     * @param invalid      names of the members the planner left out ({@code Plan.invalid()})
     */
    public ClusterHealth(List<ClusterMember> members, Map<String, MemberObservation> observations, Set<String> invalid) {
        this.members = members.stream().map(ClusterMember::name).toList();
        members.forEach(m -> subscriptions.put(m.name(), m.subscriptions()));
        this.invalid = invalid;
        this.observations = observations;
        observations.forEach((name, o) -> {
            if (o != null && o.status() != null) {
                Map<String, PeerConnection> byName = new HashMap<>();
                o.status().peers().forEach(p -> byName.putIfAbsent(p.name(), p));   // the first, as ClusterStatus.peer finds
                peers.put(name, byName);
            }
        });
    }

    public boolean reachable(String member) {
        MemberObservation o = member == null ? null : observations.get(member);
        return o != null && o.reachable();
    }

    /** Declared with a name, and not refused by the planner. */
    public boolean valid(String member) {
        return member != null && !invalid.contains(member);
    }

    /**
     * Every side that should receive something over the link reports its sockets connected: both between
     * two full members, the receiving side with a partial member (on 4.7.29 a member whose own connections
     * had died still showed on its peers' side as their subscriber, compatibility rows 21 and 29).
     */
    public boolean linked(String a, String b) {
        return deafEnds(a, b).isEmpty();
    }

    /**
     * The ends of the link that should receive over it and do not (empty when linked). A list, not a
     * sentinel name: a member may be called anything, "both" included.
     */
    private List<String> deafEnds(String a, String b) {
        List<Subscription> sa = subscriptions.get(a);
        List<Subscription> sb = subscriptions.get(b);
        boolean aFull = sa == null || sa.isEmpty();
        boolean bFull = sb == null || sb.isEmpty();
        boolean toA;
        boolean toB;
        if (aFull && bFull) {
            toA = true;
            toB = true;
        } else {
            toA = ReplicationPlanner.carriesTo(sa, sb);
            toB = ReplicationPlanner.carriesTo(sb, sa);
            if (!toA && !toB) {
                return connected(a, b) || connected(b, a) ? List.of() : List.of(a, b);
            }
        }
        List<String> deaf = new ArrayList<>(2);
        if (toA && !connected(a, b)) {
            deaf.add(a);
        }
        if (toB && !connected(b, a)) {
            deaf.add(b);
        }
        return deaf;
    }

    private boolean connected(String from, String to) {
        return side(from, to).map(PeerConnection::isConnected).orElse(false);
    }

    private Optional<PeerConnection> side(String from, String to) {
        Map<String, PeerConnection> seen = from == null ? null : peers.get(from);
        return seen == null ? Optional.empty() : Optional.ofNullable(seen.get(to));
    }

    /** Whether a and b should be linked: both valid, and their subscriptions make the link carry something. */
    public boolean shouldLink(String a, String b) {
        return valid(a) && valid(b) && !a.equals(b)
                && ReplicationPlanner.linkCarriesData(subscriptions.get(a), subscriptions.get(b));
    }

    /** Valid, reachable, and linked to every other reachable member it should replicate with. */
    public boolean ready(String member) {
        if (!valid(member) || !reachable(member)) {
            return false;
        }
        return members.stream().filter(m -> shouldLink(member, m) && reachable(m)).allMatch(m -> linked(member, m));
    }

    /** One line per problem: unreachable members and expected links down between reachable ones. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (String m : members) {
            if (valid(m) && !reachable(m)) {
                MemberObservation o = observations.get(m);
                problems.add("member " + m + " is unreachable" + (o == null || o.failureMessage() == null ? "" : ": " + o.failureMessage()));
            }
        }
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                String a = members.get(i);
                String b = members.get(j);
                List<String> deaf = shouldLink(a, b) && reachable(a) && reachable(b) ? deafEnds(a, b) : List.of();
                if (deaf.size() == 2) {
                    problems.add("link " + a + " <-> " + b + " is not connected");
                } else if (deaf.size() == 1) {
                    String end = deaf.get(0);
                    problems.add("link " + a + " <-> " + b + " is not connected: " + end + " receives nothing from "
                            + (end.equals(a) ? b : a));
                }
            }
        }
        return problems;
    }

    public long readyCount() {
        return members.stream().filter(this::ready).count();
    }
}
