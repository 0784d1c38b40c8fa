package io.harperdb.replication.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aStringRouteIsWrittenAsAString() throws Exception {
        assertThat(MAPPER.writeValueAsString(Route.of("wss://server-two:9925"))).isEqualTo("\"wss://server-two:9925\"");
    }

    /** 4.7.29 misreads "host:port" at start (wss://host:99:9933) and runs without replication. */
    @Test
    void aBareHostAndPortIsWrittenAsAWssUrl() throws Exception {
        assertThat(MAPPER.writeValueAsString(Route.of("server-two:9933"))).isEqualTo("\"wss://server-two:9933\"");
        assertThat(MAPPER.readValue("\"server-two:9933\"", Route.class)).isEqualTo(Route.of("wss://server-two:9933"));
        assertThat(MAPPER.writeValueAsString(Route.of("server-two"))).isEqualTo("\"server-two\"");
        assertThat(MAPPER.writeValueAsString(Route.of("[::1]:9933"))).isEqualTo("\"[::1]:9933\"");
    }

    @Test
    void anObjectRouteIsWrittenAsHostnameAndPort() throws Exception {
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(Route.of("server-three", 9930))))
                .isEqualTo(MAPPER.readTree("{\"hostname\":\"server-three\",\"port\":9930}"));
    }

    @Test
    void anObjectRouteWithoutPortIsWrittenWithoutPort() throws Exception {
        Route route = new Route(null, "server-three", null);

        assertThat(MAPPER.writeValueAsString(route)).isEqualTo("{\"hostname\":\"server-three\"}");
        assertThat(MAPPER.readValue("{\"hostname\":\"server-three\"}", Route.class)).isEqualTo(route);
    }

    @Test
    void bothFormsRoundTripInOrder() throws Exception {
        String json = "[\"wss://server-two:9925\",{\"hostname\":\"server-three\",\"port\":9930}]";

        List<Route> routes = MAPPER.readValue(json, new TypeReference<List<Route>>() { });

        assertThat(routes).containsExactly(Route.of("wss://server-two:9925"), Route.of("server-three", 9930));
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(routes))).isEqualTo(MAPPER.readTree(json));
    }

    @Test
    void aHostRouteIsReadAndWrittenBackInItsOwnForm() throws Exception {
        Route route = MAPPER.readValue("{\"host\":\"server-three\",\"port\":9930}", Route.class);

        assertThat(route).isEqualTo(Route.of("server-three", 9930));
        assertThat(route.form()).isEqualTo(Route.Form.HOST);
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(route)))
                .isEqualTo(MAPPER.readTree("{\"host\":\"server-three\",\"port\":9930}"));
    }

    @Test
    void aUrlRouteIsReadAndWrittenBackInItsOwnForm() throws Exception {
        Route route = MAPPER.readValue("{\"url\":\"wss://server-two:9933\"}", Route.class);

        assertThat(route).isEqualTo(Route.of("wss://server-two:9933"));
        assertThat(route.form()).isEqualTo(Route.Form.URL);
        assertThat(MAPPER.writeValueAsString(route)).isEqualTo("{\"url\":\"wss://server-two:9933\"}");
    }

    @Test
    void toStringShowsTheRoute() {
        assertThat(Route.of("wss://server-two:9925")).hasToString("wss://server-two:9925");
        assertThat(Route.of("server-three", 9930)).hasToString("server-three:9930");
    }

    @Test
    void invalidRoutesAreRefused() {
        assertThatThrownBy(() -> Route.of(" ")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Route.of("", 9933)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("hostname");
        assertThatThrownBy(() -> Route.of("b", 0)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("port 0");
        assertThatThrownBy(() -> Route.of("b", 70000)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("port 70000");
        assertThatThrownBy(() -> new Route("b", "b", 9933)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> new Route(null, null, null)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void invalidJsonRoutesAreRefused() {
        assertThatThrownBy(() -> Route.fromJson(MAPPER.readTree("{\"port\":9933}"))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Route.fromJson(MAPPER.readTree("{\"hostname\":\"b\",\"port\":0}"))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Route.fromJson(MAPPER.readTree("\"\""))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Route.fromJson(MAPPER.readTree("null"))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Route.fromJson(MAPPER.readTree("{\"url\":\"\"}"))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Route.fromJson(MAPPER.readTree("{\"host\":\"b\",\"port\":0}"))).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theLimitsOfThePortRangeAreAccepted() {
        assertThat(Route.of("b", 1).port()).isEqualTo(1);
        assertThat(Route.of("b", 65535).port()).isEqualTo(65535);
    }
}
