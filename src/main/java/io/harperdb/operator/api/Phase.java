package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The one-word state of a HarperCluster or HarperNode, shown by {@code kubectl get}. */
public enum Phase {
    /** Accepted, nothing done yet. */
    @JsonProperty("Pending") PENDING,
    /** Operations are being sent. */
    @JsonProperty("Reconciling") RECONCILING,
    /** Observed state equals desired state. */
    @JsonProperty("Ready") READY,
    /** Running, but some member or link is not as desired. */
    @JsonProperty("Degraded") DEGRADED,
    /** The annotation harperdb.io/pause-reconciliation is "true": nothing is written. */
    @JsonProperty("Paused") PAUSED,
    /** The desired state cannot be reached without a change by the user. */
    @JsonProperty("Failed") FAILED
}
