package dev.tributary.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.cdc.ConnectEnvelope;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.types.RowKind;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class ChangeDecoderTest {
    private static final ConnectEnvelope ITEMS = ConnectEnvelope.table("public", "items")
            .keyColumn("id", "int64")
            .column("name", "string", false)
            .column("price", "bytes", true, "org.apache.kafka.connect.data.Decimal", Map.of("scale", "2", "connect.decimal.precision", "10"))
            .column("updated_at", "int64", true, "io.debezium.time.MicroTimestamp", Map.of())
            .column("day", "int32", true, "io.debezium.time.Date", Map.of())
            .column("small", "int16", true);

    @Test
    void anInsertBecomesATypedRowOfItsIcebergSchema() throws Exception {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 7);
        row.put("name", "seven");
        row.put("price", "MDk=");  // unscaled 12345 as big-endian bytes, base64: 123.45
        row.put("updated_at", 1_767_225_600_123_456L);
        row.put("day", 20_454);
        row.put("small", null);
        DecodedChange change = ChangeDecoder.decode(ITEMS.key(row), ITEMS.value("c", null, row, 1_767_225_600_123L));
        assertThat(change.kind()).isEqualTo(RowKind.INSERT);
        assertThat(change.operation()).isEqualTo("c");
        assertThat(change.committedMicros()).isEqualTo(1_767_225_600_123_000L);
        assertThat(change.keyColumns()).containsExactly("id");
        ConnectRowType type = ConnectRowType.of(change.rowSchema(), change.keyColumns());
        assertThat(type.schema().findField("id").isRequired()).isTrue();
        assertThat(type.schema().identifierFieldNames()).containsExactly("id");
        assertThat(type.schema().findField("price").type()).isEqualTo(Types.DecimalType.of(10, 2));
        assertThat(type.schema().findField("updated_at").type()).isEqualTo(Types.TimestampType.withoutZone());
        assertThat(type.schema().findField("day").type()).isEqualTo(Types.DateType.get());
        GenericRowData data = type.toRow(change.row());
        assertThat(data.getLong(0)).isEqualTo(7L);
        assertThat(data.getString(1).toString()).isEqualTo("seven");
        assertThat(data.getDecimal(2, 10, 2).toBigDecimal()).isEqualTo(new BigDecimal("123.45"));
        assertThat(data.getTimestamp(3, 6).toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 1, 1, 0, 0, 0, 123_456_000));
        assertThat(data.getInt(4)).isEqualTo(20_454);
        assertThat(data.isNullAt(5)).isTrue();
    }

    @Test
    void aDeleteWithOnlyTheKeyBeforeItIsADeleteByKey() throws Exception {
        Map<String, Object> key = Map.of("id", 7);
        DecodedChange change = ChangeDecoder.decode(ITEMS.key(key), ITEMS.value("d", key, null, 1L));
        assertThat(change.kind()).isEqualTo(RowKind.DELETE);
        assertThat(change.row().get("id").asLong()).isEqualTo(7);
    }

    @Test
    void tombstonesCarryNoRow() throws Exception {
        assertThat(ChangeDecoder.decode(ITEMS.key(Map.of("id", 7)), null)).isNull();
    }

    @Test
    void unusableEventsSayWhy() {
        Map<String, Object> row = Map.of("id", 1, "name", "one");
        assertThatThrownBy(() -> ChangeDecoder.decode(null, ITEMS.value("c", null, row, 1L)))
                .hasMessageContaining("has no key");
        assertThatThrownBy(() -> ChangeDecoder.decode(ITEMS.key(row), "{not json".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ChangeDecoder.decode(ITEMS.key(row), "{\"payload\":{\"op\":\"c\"}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("carries no schema");
        assertThatThrownBy(() -> ChangeDecoder.decode(ITEMS.key(row), ITEMS.value("x", null, row, 1L)))
                .hasMessageContaining("unknown op 'x'");
        assertThatThrownBy(() -> ChangeDecoder.decode(ITEMS.key(row), ITEMS.value("t", null, null, 1L)))
                .hasMessageContaining("truncated");
    }
}
