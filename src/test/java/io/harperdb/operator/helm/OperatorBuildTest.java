package io.harperdb.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.parallel.ResourceLock;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.harperdb.operator.OperatorBuild;
import io.harperdb.operator.resources.DesiredStatefulSet;
import io.harperdb.operator.resources.SidecarImage;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;

/**
 * The jar knows the image the chart runs, so that an operator started without OPERATOR_IMAGE ({@code make run})
 * gives managed pods the same sidecar image as one installed by the chart.
 */
@ResourceLock("helm")    // helm-java's native library, one caller at a time
class OperatorBuildTest {
    private final OperatorBuild build = OperatorBuild.current();

    @Test
    void theBuildsAppVersionIsTheChartsAndItsVersionThePoms() throws Exception {
        assertThat(build.appVersion()).isEqualTo(HelmChartTest.chartField("appVersion"));
        String pomVersion = XPathFactory.newInstance().newXPath().evaluate("/project/version",
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())).trim();
        assertThat(build.version()).isEqualTo(pomVersion);
    }

    @Test
    void theDefaultImageIsTheOneTheChartRunsAndGivesTheSidecar() {
        Deployment deployment = OperatorChart.single(OperatorChart.render(Map.of()), Deployment.class);
        Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(build.defaultImage()).contains(operator.getImage());
        assertThat(operator.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo(SidecarImage.ENV);
            assertThat(e.getValue()).isEqualTo(operator.getImage());
        });
    }

    /** What {@code make run} does: no OPERATOR_IMAGE, so the sidecar runs the chart's image. */
    @Test
    void withoutOperatorImageTheSidecarRunsTheBuildsDefault() {
        SidecarImage image = DesiredStatefulSet.fromEnvironment(Map.of()).sidecarImage();

        assertThat(image.usable()).as(image.describe()).isTrue();
        assertThat(image.image()).isEqualTo("ghcr.io/harperdb-operator/harperdb-operator:" + build.appVersion());
        assertThat(image.describe()).contains("the build's default").contains("OPERATOR_IMAGE is not set");
        assertThat(DesiredStatefulSet.fromEnvironment(Map.of(SidecarImage.ENV, "  ")).sidecarImage().image()).isEqualTo(image.image());
        assertThat(DesiredStatefulSet.fromEnvironment(Map.of(SidecarImage.ENV, "registry.example.com:5000/ops/harperdb-operator:1.2.3"))
                .sidecarImage().describe()).isEqualTo("registry.example.com:5000/ops/harperdb-operator:1.2.3 (from OPERATOR_IMAGE)");
    }
}
