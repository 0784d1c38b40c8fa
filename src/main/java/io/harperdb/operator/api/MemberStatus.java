package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Objects;

/** One member of a HarperCluster: the mirror of its cluster_status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"name", "url", "reachable", "version", "connections", "connectionSummary", "writtenRoutes"})
public class MemberStatus {

    @JsonPropertyDescription("HarperDB node name (its replication hostname)")
    private String name;

    @JsonPropertyDescription("Its replication URL")
    private String url;

    @JsonPropertyDescription("Whether its Operations API answered the last cluster_status")
    private Boolean reachable;

    @JsonPropertyDescription("The HarperDB version it reports (registration_info), read when it first answers, every 10 minutes, "
            + "and after it was seen not answering")
    private String version;

    @JsonPropertyDescription("Its links to its peers, listed while the cluster has at most 16 members and the lists stay under 128 KiB; "
            + "else absent and connectionSummary counts them")
    private List<ConnectionStatus> connections;

    @JsonPropertyDescription("Its links to its peers counted, when connections are not listed (more than 16 members, or lists over 128 KiB)")
    private ConnectionSummary connectionSummary;

    @JsonPropertyDescription("The routes the operator last wrote to its configuration (they take effect when it restarts)")
    private List<Route> writtenRoutes;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public Boolean getReachable() {
        return reachable;
    }

    public void setReachable(Boolean reachable) {
        this.reachable = reachable;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public List<ConnectionStatus> getConnections() {
        return connections;
    }

    public void setConnections(List<ConnectionStatus> connections) {
        this.connections = connections;
    }

    public ConnectionSummary getConnectionSummary() {
        return connectionSummary;
    }

    public void setConnectionSummary(ConnectionSummary connectionSummary) {
        this.connectionSummary = connectionSummary;
    }

    public List<Route> getWrittenRoutes() {
        return writtenRoutes;
    }

    public void setWrittenRoutes(List<Route> writtenRoutes) {
        this.writtenRoutes = writtenRoutes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberStatus m && Objects.equals(name, m.name) && Objects.equals(url, m.url)
                && Objects.equals(reachable, m.reachable) && Objects.equals(version, m.version) && Objects.equals(connections, m.connections)
                && Objects.equals(connectionSummary, m.connectionSummary)
                && Objects.equals(writtenRoutes, m.writtenRoutes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, url, reachable, version, connections, connectionSummary, writtenRoutes);
    }
}
