package io.harperdb.replication.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SidecarConfigTest {
    @Test
    void defaultsWhenNothingIsSet() {
        SidecarConfig config = SidecarConfig.fromEnv(Map.of());

        assertThat(config.harperdbUrl()).isEqualTo("http://127.0.0.1:9925");
        assertThat(config.credentialsDir()).isEqualTo(Path.of("/etc/harperdb/admin"));
        assertThat(config.port()).isEqualTo(9950);
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void everySettingFromItsVariable() {
        SidecarConfig config = SidecarConfig.fromEnv(Map.of(
                "HARPERDB_URL", "http://demo-0.demo-hdb:9925",
                "HARPERDB_CREDENTIALS_DIR", "/var/run/admin",
                "SIDECAR_PORT", "9951",
                "POLL_INTERVAL", "2s",
                "SIDECAR_ADDRESS", "10.1.2.3"));

        assertThat(config).isEqualTo(new SidecarConfig("http://demo-0.demo-hdb:9925", Path.of("/var/run/admin"), 9951, Duration.ofSeconds(2),
                "10.1.2.3"));
    }

    @Test
    void blankVariablesCountAsUnset() {
        assertThat(SidecarConfig.fromEnv(Map.of("SIDECAR_PORT", " ", "POLL_INTERVAL", "")))
                .isEqualTo(SidecarConfig.fromEnv(Map.of()));
    }

    @ParameterizedTest
    @CsvSource({"5s,5000", "500ms,500", "1m,60000", "7,7000", " 3S ,3000",
            // the operator's forms too: one parser (Durations) for both
            "1m30s,90000", "1h,3600000"})
    void pollIntervalForms(String text, long millis) {
        assertThat(SidecarConfig.duration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "-1s", "1.5s", "5d", "0s", "99999999999999999999s"})
    void badPollIntervalsAreRefusedByName(String text) {
        assertThatThrownBy(() -> SidecarConfig.fromEnv(Map.of("POLL_INTERVAL", text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("POLL_INTERVAL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9925", "ftp://127.0.0.1", "http://"})
    void badUrlsAreRefusedByName(String text) {
        assertThatThrownBy(() -> SidecarConfig.fromEnv(Map.of("HARPERDB_URL", text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HARPERDB_URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "70000", "-1"})
    void badPortsAreRefusedByName(String text) {
        assertThatThrownBy(() -> SidecarConfig.fromEnv(Map.of("SIDECAR_PORT", text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SIDECAR_PORT");
    }
}
