package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Objects;

/**
 * A member's links counted instead of listed: a cluster's status lists every member's links only while that
 * stays small (their number grows with the square of the members), past that each member gets this.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"connected", "notConnected", "notConnectedPeers"})
public class ConnectionSummary {

    @JsonPropertyDescription("How many of the peers in its cluster_status it reports connected (every database socket)")
    private Integer connected;

    @JsonPropertyDescription("How many of the peers in its cluster_status it reports not connected")
    private Integer notConnected;

    @JsonPropertyDescription("The first peers by name that it reports not connected (at most 5)")
    private List<String> notConnectedPeers;

    public ConnectionSummary() {
    }

    public ConnectionSummary(Integer connected, Integer notConnected, List<String> notConnectedPeers) {
        this.connected = connected;
        this.notConnected = notConnected;
        this.notConnectedPeers = notConnectedPeers;
    }

    public Integer getConnected() {
        return connected;
    }

    public void setConnected(Integer connected) {
        this.connected = connected;
    }

    public Integer getNotConnected() {
        return notConnected;
    }

    public void setNotConnected(Integer notConnected) {
        this.notConnected = notConnected;
    }

    public List<String> getNotConnectedPeers() {
        return notConnectedPeers;
    }

    public void setNotConnectedPeers(List<String> notConnectedPeers) {
        this.notConnectedPeers = notConnectedPeers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionSummary s && Objects.equals(connected, s.connected)
                && Objects.equals(notConnected, s.notConnected) && Objects.equals(notConnectedPeers, s.notConnectedPeers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connected, notConnected, notConnectedPeers);
    }
}
