package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    void leavingPodsStopServingAndStayingOnesServeOnlyOnUpgrade() {
        List<Pod> pods = List.of(pod("demo-0", "true"), pod("demo-1", null), pod("demo-2", "false"), pod("demo-3", "true"),
                pod("demo-4", null), pod("other-0", null));

        // the client Service selects by the label: staying pods wait to be admitted
        assertThat(ClientTraffic.changes(pods, "demo", 3, true)).isEqualTo(Map.of("demo-3", "false", "demo-4", "false"));
        // an upgrade: the Service does not select by it yet, so every staying pod keeps its traffic
        assertThat(ClientTraffic.changes(pods, "demo", 3, false))
                .isEqualTo(Map.of("demo-1", "true", "demo-2", "true", "demo-3", "false", "demo-4", "false"));
        assertThat(ClientTraffic.changes(List.of(pod("demo-0", "true"), pod("demo-1", "false")), "demo", 1, true)).isEmpty();
    }

    @Test
    void aStayingPodServesOnceItCaughtUpAndKeepsServing() {
        List<Pod> pods = List.of(pod("demo-0", "true"), pod("demo-1", null), pod("demo-2", "false"), pod("demo-3", null));

        assertThat(ClientTraffic.admitted(pods, "demo", 3, Set.of("demo-0", "demo-1", "demo-3"))).isEqualTo(Map.of("demo-1", "true"));
        assertThat(ClientTraffic.admitted(pods, "demo", 3, Set.of())).isEmpty();
        assertThat(ClientTraffic.serving(pods, "demo-0")).isTrue();
        assertThat(ClientTraffic.serving(pods, "demo-1")).isFalse();
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
