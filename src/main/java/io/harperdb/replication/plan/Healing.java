package io.harperdb.replication.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The planner's healing section (docs/planner.md, "Healing"): mends links that stay down while both ends
 * answer and the planner has nothing else to do: between full members, and partial links whose records are
 * as planned (on 4.7.29 a second add_node sent to an instance while its first link was still connecting left
 * that link dead, compatibility row 21). Seen on 4.7.29: after a restart, or a
 * remove and re-add, a member no longer trusted its peer's certificate and never reconnected; and a
 * deletion replicated late took a fresh record away, so the mesh had a gap that gossip did not fill.
 * add_node is an upsert that exchanges certificates and records again. A member that still receives nothing
 * over a link whose other end receives from it has a dead connection of its own, which add_node does not renew
 * (row 29): its workers restart.
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
    /**
     * A member that still receives nothing over a link this long after its add_node has its workers restarted
     * (see {@link #RESTART_EVERY}): the add_node renewed trust and records, so what is left is a dead connection.
     */
    static final Duration RESTART_AFTER = Duration.ofSeconds(30);
    /**
     * At most one restart of a member for a link this often: a restart that did not mend it will likely not the
     * next time (the peer may be the one at fault), and each takes the member's HTTP workers away for seconds.
     */
    static final Duration RESTART_EVERY = Duration.ofMinutes(30);

    record Result(List<PlannedOperation> operations, List<LinkDown> linksDown) {
    }

    private Healing() {
    }

    /**
     * Two members not linked both ways, and the add_node that mends their link.
     *
     * @param mend the add_node; null for a link to a draining member (nothing is added about a leaving member):
     *             only its deaf end's restart, {@link #AFTER} plus {@link #RESTART_AFTER} after it is seen down
     * @param deaf the end whose own connection is down while the other end's is up (it receives nothing from
     *             the other); null when neither end is connected, and for partial links
     * @param untrusted an end holds, for the other, a CA that did not issue the certificate the other serves now (its
     *                  certificate came from a new CA): refused until add_node exchanges the CAs again, so there is
     *                  nothing to wait for, and its add_node is due at once
     */
    record Candidate(String a, String b, PlannedOperation.AddNode mend, String deaf, boolean untrusted) {
        Candidate(String a, String b, PlannedOperation.AddNode mend) {
            this(a, b, mend, null, false);
        }

        Candidate(String a, String b, PlannedOperation.AddNode mend, String deaf) {
            this(a, b, mend, deaf, false);
        }
    }

    /**
     * @param candidates the pairs down this round: between full members (the add_node, sent to the end that
     *                   receives nothing when only one does, names the other without subscriptions) and partial
     *                   links made as planned (the add_node that made them, with their subscriptions)
     */
    static Result plan(PlanInput input, List<Candidate> candidates) {
        if (input.now() == null) {
            return new Result(List.of(), List.of());
        }
        Instant now = input.now();
        Map<String, Map<String, LinkDown>> previous = previousByPair(input);
        List<PlannedOperation> operations = new ArrayList<>();
        List<LinkDown> down = new ArrayList<>();
        // one link call per target per round (rule 10): a second one waits, still due, for the next round
        Set<String> targets = new HashSet<>();
        for (Candidate c : candidates) {
            LinkDown link = previous(previous, now, c.a(), c.b()).orElse(new LinkDown(c.a(), c.b(), now, null));
            if (c.mend() != null && due(link, now, c.untrusted()) && targets.add(c.mend().target())) {
                operations.add(c.mend());
                link = link.attempted(now);
            }
            down.add(link);
        }
        restartOneDeafMember(candidates, down, targets, now).ifPresent(operations::add);
        return new Result(List.copyOf(operations), List.copyOf(down));
    }

    /**
     * The first member that receives nothing over a link that its add_node did not mend within
     * {@link #RESTART_AFTER}: its workers restart (one member a round, none that gets a link call this round).
     * Every link it is deaf on counts as restarted, so that it restarts once for all of them.
     */
    private static Optional<PlannedOperation> restartOneDeafMember(List<Candidate> candidates, List<LinkDown> down,
                                                                   Set<String> targets, Instant now) {
        for (int k = 0; k < candidates.size(); k++) {
            Candidate c = candidates.get(k);
            LinkDown link = down.get(k);
            if (c.deaf() == null || !restartDue(link, c.mend() != null, now) || targets.contains(c.deaf())) {
                continue;
            }
            String deaf = c.deaf();
            String peer = deaf.equals(c.a()) ? c.b() : c.a();
            for (int m = 0; m < candidates.size(); m++) {
                if (deaf.equals(candidates.get(m).deaf())) {
                    down.set(m, down.get(m).restarted(now));
                }
            }
            String why = "it has received nothing from " + peer + " since " + link.since() + ", while " + peer
                    + " receives from it; " + (c.mend() == null ? peer + " is leaving, and its writes wait to reach it"
                    : "add_node at " + link.lastAttempt() + " did not mend it");
            return Optional.of(new PlannedOperation.RestartWorkers(deaf, why));
        }
        return Optional.empty();
    }

    /** Down {@link #AFTER} or longer (or untrusted: at once), and not mended in the last {@link #EVERY}. */
    static boolean due(LinkDown link, Instant now, boolean untrusted) {
        boolean longEnough = untrusted || !now.isBefore(link.since().plus(AFTER));
        boolean notJustTried = link.lastAttempt() == null || !now.isBefore(link.lastAttempt().plus(EVERY));
        return longEnough && notJustTried;
    }

    /**
     * Mended by add_node {@link #RESTART_AFTER} ago or more (a link that cannot be mended: down {@link #AFTER} plus
     * {@link #RESTART_AFTER}), not restarted since that add_node, and not restarted in the last {@link #RESTART_EVERY}.
     */
    static boolean restartDue(LinkDown link, boolean mendable, Instant now) {
        Instant tried = mendable ? link.lastAttempt() : link.since().plus(AFTER);
        if (tried == null || now.isBefore(tried.plus(RESTART_AFTER))) {
            return false;
        }
        return link.lastRestart() == null || (!mendable || link.lastRestart().isBefore(tried))
                && !now.isBefore(link.lastRestart().plus(RESTART_EVERY));
    }

    /** The previous round's links down by (a, b), the first of each pair. */
    private static Map<String, Map<String, LinkDown>> previousByPair(PlanInput input) {
        Map<String, Map<String, LinkDown>> byPair = new HashMap<>();
        for (LinkDown l : input.linksDown()) {
            byPair.computeIfAbsent(l.a(), k -> new HashMap<>()).putIfAbsent(l.b(), l);
        }
        return byPair;
    }

    private static Optional<LinkDown> previous(Map<String, Map<String, LinkDown>> byPair, Instant now, String a, String b) {
        // LinkDown keeps (a, b) in name order
        String first = a.compareTo(b) <= 0 ? a : b;
        String second = a.compareTo(b) <= 0 ? b : a;
        return Optional.ofNullable(byPair.getOrDefault(first, Map.of()).get(second))
                .filter(l -> !l.since().isAfter(now));    // a clock gone back: start again
    }
}
