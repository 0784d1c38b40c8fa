package io.harperdb.replication.plan;

import java.time.Instant;
import java.util.Objects;

/**
 * A link between two members that should be connected and is not, as the planner tracks it from round
 * to round (the caller keeps it between rounds, e.g. in the resource's status, and hands it back).
 *
 * @param a           the first member by name
 * @param b           the second member by name
 * @param since       when the link was first seen down (the round's clock)
 * @param lastAttempt when the planner last sent add_node to mend it; null = never
 * @param lastRestart when the planner last restarted the workers of the end that receives nothing over it;
 *                    null = never
 */
public record LinkDown(String a, String b, Instant since, Instant lastAttempt, Instant lastRestart) {

    public LinkDown {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(since, "since");
        if (a.compareTo(b) > 0) {
            String first = b;
            b = a;
            a = first;
        }
    }

    /** A link never restarted. */
    public LinkDown(String a, String b, Instant since, Instant lastAttempt) {
        this(a, b, since, lastAttempt, null);
    }

    /** Whether this is the link between {@code x} and {@code y}, in either order. */
    public boolean joins(String x, String y) {
        return (a.equals(x) && b.equals(y)) || (a.equals(y) && b.equals(x));
    }

    LinkDown attempted(Instant at) {
        return new LinkDown(a, b, since, at, lastRestart);
    }

    LinkDown restarted(Instant at) {
        return new LinkDown(a, b, since, lastAttempt, at);
    }
}
