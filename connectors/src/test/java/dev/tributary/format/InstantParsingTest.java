package dev.tributary.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantParsingTest {
    @Test
    void theFastPathAgreesWithInstantParse() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochMilli(random.nextLong(4_102_444_800_000L));
            String text = instant.toString();
            assertThat(JsonAvroReader.parseInstant(text, "t")).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void otherShapesFallBackOrFail() throws Exception {
        assertThat(JsonAvroReader.parseInstant("2026-11-23T21:11:09.123456Z", "t")).isEqualTo(Instant.parse("2026-11-23T21:11:09.123456Z"));
        assertThat(JsonAvroReader.parseInstant("2026-11-23T21:11:09Z", "t")).isEqualTo(Instant.parse("2026-11-23T21:11:09Z"));
        assertThatThrownBy(() -> JsonAvroReader.parseInstant("2026-02-30T21:11:09.000Z", "t")).isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> JsonAvroReader.parseInstant("2026-11-23T25:11:09.000Z", "t")).hasMessageContaining("invalid timestamp");
    }
}
