package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

import java.util.Objects;

/** TLS between the members of a HarperCluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Tls {

    @Default("true")
    @JsonPropertyDescription("Whether members verify each other's certificates (HarperDB's verify_tls)")
    private Boolean verify = true;

    public Boolean getVerify() {
        return verify;
    }

    public void setVerify(Boolean verify) {
        this.verify = verify;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tls t && Objects.equals(verify, t.verify);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(verify);
    }
}
