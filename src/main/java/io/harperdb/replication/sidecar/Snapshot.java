package io.harperdb.replication.sidecar;

import io.harperdb.replication.model.ClusterStatus;
import java.time.Instant;

/**
 * What the last poll saw; the HTTP endpoints serve only this, so a request never waits for HarperDB.
 *
 * @param takenAt       when the poll ended
 * @param healthy       whether GET /health answered 2xx
 * @param clusterStatus the cluster_status answer, or null when it could not be had
 * @param problem       why cluster_status is missing (unreadable credentials, HarperDB's error), or null
 * @param readiness     the judge's verdict after this poll
 */
public record Snapshot(Instant takenAt, boolean healthy, ClusterStatus clusterStatus, String problem, Readiness readiness) {
    /** Before the first poll: nothing is known, so nothing is healthy or ready. */
    public static Snapshot initial(Instant now) {
        return new Snapshot(now, false, null, "no poll has finished yet",
                Readiness.notReady("no poll of HarperDB has finished yet"));
    }
}
