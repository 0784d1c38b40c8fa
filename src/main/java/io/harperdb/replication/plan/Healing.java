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

    /** Two members that neither shows linked to the other, and the add_node that mends their link. */
    record Candidate(String a, String b, PlannedOperation.AddNode mend) {
    }

    /**
     * @param candidates the pairs down this round: between full members (the add_node names the other
     *                   without subscriptions) and partial links made as planned (the add_node that made them,
     *                   with their subscriptions)
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
            LinkDown link = previous(previous, now, c.a(), c.b()).orElse(new LinkDown(first(c), second(c), now, null));
            if (due(link, now) && targets.add(c.mend().target())) {
                operations.add(c.mend());
                link = new LinkDown(link.a(), link.b(), link.since(), now);
            }
            down.add(link);
        }
        return new Result(List.copyOf(operations), List.copyOf(down));
    }

    private static String first(Candidate c) {
        return c.a().compareTo(c.b()) <= 0 ? c.a() : c.b();
    }

    private static String second(Candidate c) {
        return c.a().compareTo(c.b()) <= 0 ? c.b() : c.a();
    }

    /** Down {@link #AFTER} or longer, and not mended in the last {@link #EVERY}. */
    static boolean due(LinkDown link, Instant now) {
        boolean longEnough = !now.isBefore(link.since().plus(AFTER));
        boolean notJustTried = link.lastAttempt() == null || !now.isBefore(link.lastAttempt().plus(EVERY));
        return longEnough && notJustTried;
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
