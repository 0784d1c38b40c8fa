package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/**
 * A link between two full members that is down while both answer, as the operator keeps it between rounds:
 * since when, when add_node was last sent to mend it, and when the workers of the member that received nothing
 * over it were last restarted (the planner's healing, docs/planner.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"a", "b", "since", "lastHealAttempt", "lastWorkerRestart"})
public class LinkDownStatus {
    @JsonPropertyDescription("One member of the link (the first by name)")
    private String a;

    @JsonPropertyDescription("The other member of the link")
    private String b;

    @JsonPropertyDescription("When the link was first seen down (RFC 3339)")
    private String since;

    @JsonPropertyDescription("When add_node was last sent to mend it (RFC 3339); absent when never")
    private String lastHealAttempt;

    @JsonPropertyDescription("When the member that received nothing over it had its worker threads restarted to mend it (RFC 3339); absent when never")
    private String lastWorkerRestart;

    public LinkDownStatus() {
    }

    public LinkDownStatus(String a, String b, String since, String lastHealAttempt) {
        this(a, b, since, lastHealAttempt, null);
    }

    public LinkDownStatus(String a, String b, String since, String lastHealAttempt, String lastWorkerRestart) {
        this.a = a;
        this.b = b;
        this.since = since;
        this.lastHealAttempt = lastHealAttempt;
        this.lastWorkerRestart = lastWorkerRestart;
    }

    public String getA() {
        return a;
    }

    public void setA(String a) {
        this.a = a;
    }

    public String getB() {
        return b;
    }

    public void setB(String b) {
        this.b = b;
    }

    public String getSince() {
        return since;
    }

    public void setSince(String since) {
        this.since = since;
    }

    public String getLastHealAttempt() {
        return lastHealAttempt;
    }

    public void setLastHealAttempt(String lastHealAttempt) {
        this.lastHealAttempt = lastHealAttempt;
    }

    public String getLastWorkerRestart() {
        return lastWorkerRestart;
    }

    public void setLastWorkerRestart(String lastWorkerRestart) {
        this.lastWorkerRestart = lastWorkerRestart;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkDownStatus l && Objects.equals(a, l.a) && Objects.equals(b, l.b)
                && Objects.equals(since, l.since) && Objects.equals(lastHealAttempt, l.lastHealAttempt)
                && Objects.equals(lastWorkerRestart, l.lastWorkerRestart);
    }

    @Override
    public int hashCode() {
        return Objects.hash(a, b, since, lastHealAttempt, lastWorkerRestart);
    }
}
