package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.Objects;

/** A Secret in the resource's namespace, with keys {@code username} and {@code password}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SecretReference {

    @Required
    @Pattern(ApiPatterns.DNS1123_SUBDOMAIN)
    @Size(max = 253)
    @JsonPropertyDescription("Name of the Secret")
    private String name;

    public SecretReference() {
    }

    public SecretReference(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretReference s && Objects.equals(name, s.name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }
}
