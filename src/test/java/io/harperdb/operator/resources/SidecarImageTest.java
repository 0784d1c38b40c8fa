package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.operator.OperatorBuild;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SidecarImageTest {
    private static final OperatorBuild BUILD = new OperatorBuild("1.0.0-SNAPSHOT", "1.0.0", "ghcr.io/harperdb-operator/harperdb-operator");

    @ParameterizedTest
    @ValueSource(strings = {"ghcr.io/harperdb-operator/harperdb-operator:0.1.0", "harperdb-operator", "localhost:5000/a/b-c_d:v1.2",
            "docker.io/library/eclipse-temurin:17-jre",
            "ghcr.io/x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ghcr.io/x/y:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void imageReferencesAreUsable(String image) {
        assertThat(SidecarImage.of(image, SidecarImage.ENV).usable()).as(image).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Not An Image", "ghcr.io/Harperdb/Operator:1", "ghcr.io/x/y:", "ghcr.io/x/y:tag with space", " ghcr.io/x/y",
            "ghcr.io/x/y@sha256:short", "https://ghcr.io/x/y:1", "x/y:1;rm -rf /"})
    void otherValuesAreNot(String image) {
        SidecarImage sidecar = SidecarImage.of(image, SidecarImage.ENV);

        assertThat(sidecar.usable()).as(image).isFalse();
        assertThat(sidecar.problem()).contains("OPERATOR_IMAGE").contains("is not an image reference");
    }

    @Test
    void theEnvironmentWinsOverTheBuildsDefault() {
        assertThat(SidecarImage.fromEnvironment(Map.of("OPERATOR_IMAGE", "mine:1"), BUILD).image()).isEqualTo("mine:1");
        SidecarImage fallback = SidecarImage.fromEnvironment(Map.of(), BUILD);
        assertThat(fallback.image()).isEqualTo("ghcr.io/harperdb-operator/harperdb-operator:1.0.0");
        assertThat(fallback.usable()).isTrue();
        SidecarImage none = SidecarImage.fromEnvironment(Map.of(), new OperatorBuild(null, null, null));
        assertThat(none.usable()).isFalse();
        assertThat(none.describe()).contains("OPERATOR_IMAGE is not set and this build names no default image");
    }
}
