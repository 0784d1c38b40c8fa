package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientTrafficTest {

    private static Pod pod(String name, String serving) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).addToLabels("app.kubernetes.io/instance", "demo").endMetadata();
        if (serving != null) {
            pod.editMetadata().addToLabels("harperdb.io/serving", serving).endMetadata();
        }
        return pod.build();
    }

    @Test
    void podsBelowTheReplicasServeAndTheLeavingOnesDoNot() {
        List<Pod> pods = List.of(pod("demo-0", "true"), pod("demo-1", null), pod("demo-2", "false"), pod("demo-3", "true"),
                pod("demo-4", null), pod("other-0", null));

        assertThat(ClientTraffic.changes(pods, "demo", 3))
                .isEqualTo(Map.of("demo-1", "true", "demo-2", "true", "demo-3", "false", "demo-4", "false"));
        assertThat(ClientTraffic.changes(List.of(pod("demo-0", "true"), pod("demo-1", "false")), "demo", 1)).isEmpty();
    }

    @Test
    void trafficIsCutForAPodLabelledNotServingOrGone() {
        List<Pod> pods = List.of(pod("demo-0", "true"), pod("demo-1", null), pod("demo-2", "false"));

        assertThat(ClientTraffic.cut(pods, "demo-0")).isFalse();
        assertThat(ClientTraffic.cut(pods, "demo-1")).isFalse();
        assertThat(ClientTraffic.cut(pods, "demo-2")).isTrue();
        assertThat(ClientTraffic.cut(pods, "demo-3")).isTrue();
    }
}
