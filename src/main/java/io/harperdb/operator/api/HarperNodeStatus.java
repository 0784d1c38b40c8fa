package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Objects;

/** The observed state of a HarperNode, written by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"observedGeneration", "phase", "conditions", "connections"})
public class HarperNodeStatus {

    @JsonPropertyDescription("The metadata.generation this status reflects")
    private Long observedGeneration;

    @PrinterColumn(name = "Phase")
    @JsonPropertyDescription("Pending, Reconciling, Ready, Degraded, Paused or Failed")
    private Phase phase;

    @JsonPropertyDescription("Ready; TlsVerificationDisabled when the operator does not verify the node's certificate (verifyTls false, or plain http)")
    private List<Condition> conditions;

    @JsonPropertyDescription("The node's links to its peers, from its cluster_status")
    private List<ConnectionStatus> connections;

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

    public List<ConnectionStatus> getConnections() {
        return connections;
    }

    public void setConnections(List<ConnectionStatus> connections) {
        this.connections = connections;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HarperNodeStatus s && Objects.equals(observedGeneration, s.observedGeneration)
                && phase == s.phase && Objects.equals(conditions, s.conditions)
                && Objects.equals(connections, s.connections);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, phase, conditions, connections);
    }
}
