package io.harperdb.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one duration parser: what the operator took (spec.pollInterval) and what the sidecar took (POLL_INTERVAL). */
class DurationsTest {

    /** The operator's syntax, as the CRD's pattern ^([0-9]+(ms|s|m|h))+$ lets it through. */
    @ParameterizedTest
    @CsvSource({"30s,30000", "1m,60000", "1m30s,90000", "500ms,500", "2h,7200000", "1h30m15s500ms,5415500", "0s,0", "90m,5400000"})
    void goDurations(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    /** The sidecar's syntax: also bare seconds, blanks and any case. */
    @ParameterizedTest
    @CsvSource(value = {"5s|5000", "500ms|500", "1m|60000", "7|7000", " 3S |3000", "5 s|5000", "250 MS|250"}, delimiter = '|', ignoreLeadingAndTrailingWhitespace = false)
    void sidecarForms(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "fast", "-1s", "+1s", "1.5s", "5d", "1w", "s", "30s1", "1m 30s", "1 m s", "PT30S", "30sec", "99999999999999999999s",
            "9223372036854775807h"})
    void everythingElseIsRefused(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
    }
}
