package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.Objects;

/** A Secret key, in the resource's namespace, that holds PEM-encoded CA certificates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CaBundleSecret {
    public static final String DEFAULT_KEY = "ca.crt";

    @Required
    @Pattern(ApiPatterns.DNS1123_SUBDOMAIN)
    @Size(max = 253)
    @JsonPropertyDescription("Name of the Secret")
    private String name;

    @Default(DEFAULT_KEY)
    @Pattern("^[-._a-zA-Z0-9]+$")
    @Size(max = 253)
    @JsonPropertyDescription("Key of the Secret that holds the PEM certificates (one or more)")
    private String key = DEFAULT_KEY;

    public CaBundleSecret() {
    }

    public CaBundleSecret(String name, String key) {
        this.name = name;
        this.key = key;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaBundleSecret s && Objects.equals(name, s.name) && Objects.equals(key, s.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, key);
    }
}
