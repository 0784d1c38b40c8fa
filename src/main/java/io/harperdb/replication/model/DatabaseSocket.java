package io.harperdb.replication.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One websocket of a replication link, for one database, as {@code cluster_status} reports it.
 * Every field is optional: they differ across HarperDB 4.x versions ({@code thread_id} became
 * {@code threadId} in 4.6; {@code backPressurePercent} and {@code lastReceivedStatus} came in 4.7).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatabaseSocket(
        @JsonProperty("database") String database,
        @JsonProperty("connected") Boolean connected,
        @JsonProperty("latency") Double latency,
        @JsonProperty("threadId") @JsonAlias("thread_id") Integer threadId,
        @JsonProperty("nodes") List<String> nodes,
        @JsonProperty("lastCommitConfirmed") Object lastCommitConfirmed,
        @JsonProperty("lastReceivedRemoteTime") Object lastReceivedRemoteTime,
        @JsonProperty("lastReceivedLocalTime") Object lastReceivedLocalTime,
        @JsonProperty("lastReceivedVersion") Object lastReceivedVersion,
        @JsonProperty("sendingMessage") Object sendingMessage,
        @JsonProperty("backPressurePercent") Double backPressurePercent,
        @JsonProperty("lastReceivedStatus") String lastReceivedStatus) {

    /** Not a JSON property of its own: it reads the component {@code connected}. */
    public boolean isConnected() {
        return Boolean.TRUE.equals(connected);
    }

    /**
     * This socket without the figures that change on every read (latency, lastReceived*,
     * lastCommitConfirmed, sendingMessage), so that two reads of an unchanged link are equal.
     */
    public DatabaseSocket withoutVolatileFigures() {
        return new DatabaseSocket(database, connected, null, threadId, nodes == null ? null : nodes.stream().sorted().toList(),
                null, null, null, null, null, backPressurePercent, null);
    }
}
