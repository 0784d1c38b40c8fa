package io.harperdb.replication.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
     * @param linked  by position in {@code members}: the positions of the members it lists with every database
     *                socket connected (its first record of each); a pair is linked when either end lists the other so
     */
    static Result plan(PlanInput input, List<DesiredMember> members, BitSet[] linked) {
        if (input.now() == null) {
            return new Result(List.of(), List.of());
        }
        Instant now = input.now();
        Map<String, Map<String, LinkDown>> previous = previousByPair(input);
        List<PlannedOperation> operations = new ArrayList<>();
        List<LinkDown> down = new ArrayList<>();
        int m = members.size();
        for (int i = 0; i < m; i++) {
            // only the pairs not linked from i's side are looked at: idle clusters have none
            BitSet unlinked = new BitSet(m);
            unlinked.set(i + 1, m);
            unlinked.andNot(linked[i]);
            for (int j = unlinked.nextSetBit(0); j >= 0; j = unlinked.nextSetBit(j + 1)) {
                if (linked[j].get(i)) {
                    continue;
                }
                DesiredMember a = members.get(i);
                DesiredMember b = members.get(j);
                LinkDown link = previous(previous, input.now(), a.name(), b.name()).orElse(new LinkDown(a.name(), b.name(), now, null));
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
