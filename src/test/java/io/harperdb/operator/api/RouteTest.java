package io.harperdb.operator.api;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTest {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void keepsTheFormItWasWrittenIn() {
        List<Route> routes = read("[\"b:9933\", {\"hostname\": \"c\", \"port\": 9933}, {\"hostname\": \"d\"}]");
        assertThat(routes).containsExactly(Route.of("b:9933"), Route.of("c", 9933), Route.of("d", null));
        assertThat(routes.get(0).isString()).isTrue();
        assertThat(routes.get(1).isString()).isFalse();
        assertThat(SERIALIZATION.asJson(routes)).isEqualTo("[\"b:9933\",{\"hostname\":\"c\",\"port\":9933},{\"hostname\":\"d\"}]");
    }

    @Test
    void tellsWhetherHarperDbCanUseIt() {
        assertThat(List.of(Route.of("b"), Route.of("b:1"), Route.of("wss://b.example.com:65535"), Route.of("b", 9933)))
                .allMatch(Route::isValid);
        assertThat(List.of(Route.of(""), Route.of("b:0"), Route.of("b:65536"), Route.of("https://b"), Route.of("b", 0),
                Route.of("not a host", null))).noneMatch(Route::isValid);
    }

    @Test
    void readsAnythingWithoutFailingSoThatOneBadResourceCannotStopTheOperator() {
        List<Route> routes = read("[42, true, [1], {\"port\": 1}, null]");
        assertThat(routes).hasSize(5).doesNotContainNull().noneMatch(Route::isValid);
    }

    private static List<Route> read(String json) {
        return Arrays.asList(SERIALIZATION.unmarshal(json, Route[].class));
    }
}
