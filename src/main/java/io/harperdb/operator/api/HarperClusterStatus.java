package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Objects;

/** The observed state of a HarperCluster, written by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"observedGeneration", "phase", "conditions", "readyMembers", "version", "members", "routesPendingRestart", "linksDown", "tls"})
public class HarperClusterStatus {

    @JsonPropertyDescription("The metadata.generation this status reflects")
    private Long observedGeneration;

    @PrinterColumn(name = "Phase")
    @JsonPropertyDescription("Pending, Reconciling, Ready, Degraded, Paused or Failed")
    private Phase phase;

    @JsonPropertyDescription("Ready, Reconciled, Degraded, Paused; Scaling, UnknownNodes, TlsVerification and TlsVerificationDisabled when they apply")
    private List<Condition> conditions;

    @PrinterColumn(name = "Ready")
    @JsonPropertyDescription("Ready members out of desired members, such as 3/3")
    private String readyMembers;

    @PrinterColumn(name = "Version")
    @JsonPropertyDescription("The HarperDB version the members report, such as 4.7.29; while they differ, each version with how many run it, "
            + "such as \"4.7.29 (2), 4.7.30 (1)\". Absent until a member told its version")
    private String version;

    @JsonPropertyDescription("One entry per member: the mirror of its cluster_status")
    private List<MemberStatus> members;

    @JsonPropertyDescription("Members whose routes were written but take effect only when the instance restarts")
    private List<String> routesPendingRestart;

    @JsonPropertyDescription("Links between members that are down while both answer, since when, and the operator's last attempt to mend each; "
            + "at most 100, those down longest first (the others are tracked as these mend)")
    private List<LinkDownStatus> linksDown;

    @JsonPropertyDescription("Managed clusters: when the CA and the members' certificates expire")
    private TlsStatus tls;

    public TlsStatus getTls() {
        return tls;
    }

    public void setTls(TlsStatus tls) {
        this.tls = tls;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Phase getPhase() {
        return phase;
    }

    public void setPhase(Phase phase) {
        this.phase = phase;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getReadyMembers() {
        return readyMembers;
    }

    public void setReadyMembers(String readyMembers) {
        this.readyMembers = readyMembers;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public List<MemberStatus> getMembers() {
        return members;
    }

    public void setMembers(List<MemberStatus> members) {
        this.members = members;
    }

    public List<String> getRoutesPendingRestart() {
        return routesPendingRestart;
    }

    public void setRoutesPendingRestart(List<String> routesPendingRestart) {
        this.routesPendingRestart = routesPendingRestart;
    }

    public List<LinkDownStatus> getLinksDown() {
        return linksDown;
    }

    public void setLinksDown(List<LinkDownStatus> linksDown) {
        this.linksDown = linksDown;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HarperClusterStatus s && Objects.equals(observedGeneration, s.observedGeneration)
                && phase == s.phase && Objects.equals(conditions, s.conditions)
                && Objects.equals(readyMembers, s.readyMembers) && Objects.equals(version, s.version) && Objects.equals(members, s.members)
                && Objects.equals(routesPendingRestart, s.routesPendingRestart)
                && Objects.equals(linksDown, s.linksDown) && Objects.equals(tls, s.tls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, phase, conditions, readyMembers, version, members, routesPendingRestart, linksDown, tls);
    }
}
