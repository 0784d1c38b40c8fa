package io.harperdb.replication.plan;

import io.harperdb.replication.model.PeerConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The planner's healing section (docs/planner.md, "Healing"): mends links between full members that stay
 * down while both answer and the planner has nothing else to do. Seen on 4.7.29: after a restart, or a
 * remove and re-add, a member no longer trusted its peer's certificate and never reconnected; and a
 * deletion replicated late took a fresh record away, so the mesh had a gap that gossip did not fill.
 * add_node is an upsert that exchanges certificates and records again.
 *
 * <p>Decided by time, from the round's clock and since when each link has been down (kept by the caller
 * between rounds), never by counting rounds: a round brought early by an event must not heal sooner.
 * Pure.
 */
final class Healing {
    /** A link down this long gets its first add_node: long enough for gossip to spread a newcomer. */
    static final Duration AFTER = Duration.ofSeconds(30);
    /** Then one add_node this often while it stays down. */
    static final Duration EVERY = Duration.ofMinutes(5);

    record Result(List<PlannedOperation> operations, List<LinkDown> linksDown) {
    }

    private Healing() {
    }

    /**
     * @param members the valid, reachable, full members, in name order, each with the connection that names it
     *                (without subscriptions)
     */
    static Result plan(PlanInput input, List<DesiredMember> members) {
        if (input.now() == null) {
            return new Result(List.of(), List.of());
        }
        Instant now = input.now();
        List<PlannedOperation> operations = new ArrayList<>();
        List<LinkDown> down = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                DesiredMember a = members.get(i);
                DesiredMember b = members.get(j);
                if (linked(input, a.name(), b.name()) || linked(input, b.name(), a.name())) {
                    continue;
                }
                LinkDown link = previous(input, a.name(), b.name()).orElse(new LinkDown(a.name(), b.name(), now, null));
                if (due(link, now)) {
                    operations.add(new PlannedOperation.AddNode(a.name(), b.connection()));
                    link = new LinkDown(link.a(), link.b(), link.since(), now);
                }
                down.add(link);
            }
        }
        return new Result(List.copyOf(operations), List.copyOf(down));
    }

    /** Down {@link #AFTER} or longer, and not mended in the last {@link #EVERY}. */
    static boolean due(LinkDown link, Instant now) {
        boolean longEnough = !now.isBefore(link.since().plus(AFTER));
        boolean notJustTried = link.lastAttempt() == null || !now.isBefore(link.lastAttempt().plus(EVERY));
        return longEnough && notJustTried;
    }

    private static Optional<LinkDown> previous(PlanInput input, String a, String b) {
        return input.linksDown().stream().filter(l -> l.joins(a, b)).findFirst()
                .filter(l -> !l.since().isAfter(input.now()));    // a clock gone back: start again
    }

    /** {@code from} lists {@code to} with every database socket connected. */
    private static boolean linked(PlanInput input, String from, String to) {
        ObservedMember seen = input.observed().get(from);
        return seen != null && seen.status() != null && seen.status().peer(to).map(PeerConnection::isConnected).orElse(false);
    }
}
