package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

import java.util.Objects;

/** The replication sidecar beside each HarperDB container of a managed instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Sidecar {

    @Default("true")
    @JsonPropertyDescription("Whether each pod runs the replication sidecar (health, readiness from replication state, metrics)")
    private Boolean enabled = true;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sidecar s && Objects.equals(enabled, s.enabled);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(enabled);
    }
}
