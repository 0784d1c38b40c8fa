package io.harperdb.replication.sidecar;

/** The verdict /readyz serves: ready or not, and why, in words for a person reading the probe's output. */
public record Readiness(boolean ready, String reason) {
    public static Readiness ready(String reason) {
        return new Readiness(true, reason);
    }

    public static Readiness notReady(String reason) {
        return new Readiness(false, reason);
    }
}
