package dev.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "5s, 5000",
        "5 s, 5000",
        "2m, 120000",
        "2min, 120000",
        "1h, 3600000",
        "1d, 86400000",
        "5S, 5000",
        "PT5M, 300000",
        "pt1.5s, 1500",
    })
    void parsesShortFormsAndIso(String text, long millis) {
        assertThat(Durations.parse("some.key", text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "5 minutes", "1.5s", "-5s", "5x"})
    void refusesOtherTextNamingKeyAndValue(String text) {
        assertThatThrownBy(() -> Durations.parse("watermark.idleness", text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'watermark.idleness'")
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void formatsTheShortestReadableFormThatParsesBack() {
        Duration[] durations = {Duration.ofMinutes(5), Duration.ofSeconds(90), Duration.ofMillis(250), Duration.ofHours(2), Duration.ZERO, Duration.ofMillis(61_500)};
        String[] expected = {"5m", "90s", "250ms", "2h", "0s", "61500ms"};

        for (int i = 0; i < durations.length; i++) {
            String formatted = Durations.format(durations[i]);
            assertThat(formatted).isEqualTo(expected[i]);
            assertThat(Durations.parse("key", formatted)).isEqualTo(durations[i]);
        }
    }
}
