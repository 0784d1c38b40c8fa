package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;

import java.util.Map;
import java.util.Objects;

/** Settings of the client Service (the one named after the cluster, with the ready members). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"type", "annotations"})
public class ClientService {

    /** The Service types that route to the pods (ExternalName does not). */
    public enum Type { ClusterIP, NodePort, LoadBalancer }

    @Default("ClusterIP")
    @JsonPropertyDescription("The Service's type")
    private Type type = Type.ClusterIP;

    @JsonPropertyDescription("Annotations of the Service (a load balancer's settings, for instance)")
    private Map<String, String> annotations;

    public Type getType() {
        return type;
    }

    public void setType(Type type) {
        this.type = type;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientService s && type == s.type && Objects.equals(annotations, s.annotations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, annotations);
    }
}
