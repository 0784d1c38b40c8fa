package io.harperdb.operator.reconciler;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with jitter, for failures that may pass (an unreachable member, a
 * 5xx): {@code min(max, initial * 2^(attempt-1))}, then a random point in its upper half, so that
 * many clusters failing together do not retry in step.
 */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

    /** The delay before retry number {@code attempt} (1 = the first retry). */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    /**
     * The delay before the next retry of something failing for {@code failingFor} (from a condition's
     * lastTransitionTime, so kept in status, not in memory): about as long as it has failed, between
     * {@code initial} and {@code max}, then a random point in its upper half. Retries so spaced double the
     * time failing each time, as {@link #delay(int)} does by attempts.
     */
    public Duration delayAfter(Duration failingFor) {
        long ceiling = Math.max(initial.toMillis(), Math.min(max.toMillis(), failingFor.isNegative() ? 0 : failingFor.toMillis()));
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    /** The delay without jitter: the upper bound of {@link #delay(int)}. */
    public Duration ceiling(int attempt) {
        int exponent = Math.max(0, Math.min(attempt - 1, 30));
        long millis = initial.toMillis() * (1L << exponent);
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
