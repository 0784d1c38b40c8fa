package io.harperdb.operator.reconciler;

import io.harperdb.replication.model.PeerConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges members and links from what every member answered. A link between two members counts as
 * connected when either side reports all its database sockets connected: HarperDB shows a partial
 * member's links without sockets on the peers' side and connected on its own side.
 */
public final class ClusterHealth {
    private final List<String> members;
    private final Map<String, MemberObservation> observations;

    public ClusterHealth(List<String> members, Map<String, MemberObservation> observations) {
        this.members = members;
        this.observations = observations;
    }

    public boolean reachable(String member) {
        MemberObservation o = observations.get(member);
        return o != null && o.reachable();
    }

    public boolean linked(String a, String b) {
        return side(a, b).map(PeerConnection::isConnected).orElse(false)
                || side(b, a).map(PeerConnection::isConnected).orElse(false);
    }

    private Optional<PeerConnection> side(String from, String to) {
        MemberObservation o = observations.get(from);
        return o == null || o.status() == null ? Optional.empty() : o.status().peer(to);
    }

    /** Reachable, and linked to every other reachable member. */
    public boolean ready(String member) {
        if (!reachable(member)) {
            return false;
        }
        return members.stream().filter(m -> !m.equals(member) && reachable(m)).allMatch(m -> linked(member, m));
    }

    /** One line per problem: unreachable members and links down between reachable ones. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (String m : members) {
            if (!reachable(m)) {
                MemberObservation o = observations.get(m);
                problems.add("member " + m + " is unreachable" + (o == null || o.failureMessage() == null ? "" : ": " + o.failureMessage()));
            }
        }
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                String a = members.get(i);
                String b = members.get(j);
                if (reachable(a) && reachable(b) && !linked(a, b)) {
                    problems.add("link " + a + " <-> " + b + " is not connected");
                }
            }
        }
        return problems;
    }

    public long readyCount() {
        return members.stream().filter(this::ready).count();
    }
}
