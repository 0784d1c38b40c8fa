package io.harperdb.operator.testing.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The test kubelet makes a container's environment as Kubernetes documents it. */
class ContainerEnvironmentTest {
    private static final ContainerEnvironment.Sources SOURCES = new ContainerEnvironment.Sources(
            field -> field.equals("metadata.name") ? "demo-0" : null,
            (secret, key) -> secret.equals("admin") && key.equals("password") ? Optional.of("s3cret") : Optional.empty(),
            (map, key) -> Optional.empty());

    @Test
    void referencesExpandFromEarlierVariablesOnly() {
        Map<String, String> env = ContainerEnvironment.resolve(List.of(
                field("POD_NAME", "metadata.name"),
                value("HOST", "$(POD_NAME).demo-hdb.ns.svc"),
                value("EARLY", "$(LATE)-x"),
                value("LATE", "late"),
                value("ESCAPED", "$$(POD_NAME)"),
                value("UNKNOWN", "$(NOPE)"),
                value("OPEN", "$(POD_NAME")), SOURCES);

        assertThat(env).containsExactly(
                Map.entry("POD_NAME", "demo-0"),
                Map.entry("HOST", "demo-0.demo-hdb.ns.svc"),
                Map.entry("EARLY", "$(LATE)-x"),
                Map.entry("LATE", "late"),
                Map.entry("ESCAPED", "$(POD_NAME)"),
                Map.entry("UNKNOWN", "$(NOPE)"),
                Map.entry("OPEN", "$(POD_NAME"));
    }

    @Test
    void secretKeysAreReadAndAMissingOneStopsTheContainer() {
        assertThat(ContainerEnvironment.resolve(List.of(secret("PASSWORD", "admin", "password", null)), SOURCES))
                .containsExactly(Map.entry("PASSWORD", "s3cret"));
        assertThat(ContainerEnvironment.resolve(List.of(secret("OTHER", "admin", "other", true)), SOURCES)).isEmpty();
        assertThatThrownBy(() -> ContainerEnvironment.resolve(List.of(secret("OTHER", "admin", "other", null)), SOURCES))
                .hasMessageContaining("CreateContainerConfigError").hasMessageContaining("other").hasMessageNotContaining("s3cret");
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar field(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path).endFieldRef().endValueFrom().build();
    }

    private static EnvVar secret(String name, String secret, String key, Boolean optional) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
                .withOptional(optional).endSecretKeyRef().endValueFrom().build();
    }
}
