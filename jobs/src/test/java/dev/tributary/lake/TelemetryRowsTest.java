package dev.tributary.lake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.config.LakeConfig;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.telemetry.TestReadings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** Enriched readings as rows of the lake's tables, nested and with arrays pivoted, with accepted drift. */
class TelemetryRowsTest {
    private static final Instant AT = Instant.parse("2025-03-14T09:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TelemetryLakeLayout layout(LakeConfig.ArrayLayout arrays) {
        return new TelemetryLakeLayout(new LakeConfig(LakeConfig.CatalogType.HADOOP, "lake", null, "file:///tmp/w", "fleet", "telemetry",
                LakeConfig.FileFormat.ORC, arrays, LakeConfig.Writer.DYNAMIC_SINK));
    }

    /** The registered shape plus {@code engine.turbo.boost_kpa} and {@code diagnostics[].freeze_frame_rpm}, as drift would have added them. */
    private static Types.StructType evolved() {
        Types.StructType registered = TelemetryLakeLayout.registered();
        List<Types.NestedField> fields = new java.util.ArrayList<>();
        for (Types.NestedField field : registered.fields()) {
            if (field.name().equals("engine")) {
                List<Types.NestedField> engine = new java.util.ArrayList<>(field.type().asStructType().fields());
                engine.add(Types.NestedField.optional(1000, "turbo", Types.StructType.of(Types.NestedField.optional(1001, "boost_kpa", Types.DoubleType.get()))));
                fields.add(Types.NestedField.required(field.fieldId(), "engine", Types.StructType.of(engine)));
            } else if (field.name().equals("diagnostics")) {
                Types.ListType list = field.type().asListType();
                List<Types.NestedField> element = new java.util.ArrayList<>(list.elementType().asStructType().fields());
                element.add(Types.NestedField.optional(1002, "freeze_frame_rpm", Types.DoubleType.get()));
                fields.add(Types.NestedField.of(field.fieldId(), field.isOptional(), "diagnostics", Types.ListType.ofRequired(list.elementId(), Types.StructType.of(element))));
            } else {
                fields.add(field);
            }
        }
        return Types.StructType.of(fields);
    }

    private static EnrichedTelemetry reading() {
        EnrichedTelemetry reading = TestReadings.reading("dev-1", 3, AT).parsedForVehicle("veh-1", 41);
        reading.setOverflow("{\"battery.temperature_c\":\"21.5C\"}");
        return reading;
    }

    private static JsonNode extensions() throws Exception {
        return JSON.readTree("{\"engine\":{\"turbo\":{\"boost_kpa\":81}},\"diagnostics\":[{\"freeze_frame_rpm\":900}]}");
    }

    @Test
    void nestedRowsTakeRegisteredValuesFromTheRecordAndAcceptedOnesFromTheExtensions() throws Exception {
        Schema schema = layout(LakeConfig.ArrayLayout.LIST).mainSchema(evolved());
        TelemetryRows rows = new TelemetryRows(schema, Map.of());

        RowData row = rows.mainRow(reading(), extensions());
        RowData withoutDrift = rows.mainRow(reading(), null);

        int engine = schema.columns().indexOf(schema.findField("engine"));
        RowData engineRow = row.getRow(engine, 5);
        assertThat(engineRow.getDouble(2)).as("coolant_temp_c, registered").isEqualTo(40.5);
        assertThat(engineRow.getRow(4, 1).getDouble(0)).as("engine.turbo.boost_kpa, accepted").isEqualTo(81.0);
        assertThat(withoutDrift.getRow(engine, 5).isNullAt(4)).isTrue();
        int diagnostics = schema.columns().indexOf(schema.findField("diagnostics"));
        RowData diagnostic = row.getArray(diagnostics).getRow(0, 4);
        assertThat(diagnostic.getString(0).toString()).isEqualTo("P0562");
        assertThat(diagnostic.getDouble(3)).isEqualTo(900.0);
        int overflow = schema.columns().indexOf(schema.findField("overflow"));
        assertThat(row.getString(overflow).toString()).isEqualTo("{\"battery.temperature_c\":\"21.5C\"}");
        assertThat(schema.findField("extensions")).as("not a column").isNull();
        assertThat(row.getString(schema.columns().indexOf(schema.findField("vehicle_id"))).toString()).isEqualTo("veh-1");
    }

    @Test
    void pivotedArraysBecomeChildRowsWithTheReadingsKeysAndTheElementsOrdinal() throws Exception {
        TelemetryLakeLayout layout = layout(LakeConfig.ArrayLayout.CHILD_TABLE);
        Types.StructType logical = evolved();
        assertThat(layout.pivotedPaths(logical)).containsExactly("diagnostics");
        Schema main = layout.mainSchema(logical);
        assertThat(main.findField("diagnostics")).isNull();
        Types.StructType element = logical.field("diagnostics").type().asListType().elementType().asStructType();
        Schema child = TelemetryLakeLayout.childSchema(element);
        assertThat(child.columns()).extracting(Types.NestedField::name)
                .containsExactly("event_id", "device_id", "vehicle_id", "event_time", "ordinal", "code", "severity", "message", "freeze_frame_rpm");

        TelemetryRows rows = new TelemetryRows(main, Map.of("diagnostics", child));
        EnrichedTelemetry reading = reading();
        List<RowData> children = rows.childRows("diagnostics", reading, extensions());

        assertThat(children).hasSize(1);
        RowData row = children.get(0);
        assertThat(row.getString(0).toString()).isEqualTo(reading.getEventId());
        assertThat(row.getString(1).toString()).isEqualTo("dev-1");
        assertThat(row.getString(2).toString()).isEqualTo("veh-1");
        assertThat(row.getTimestamp(3, 6).toInstant()).isEqualTo(AT);
        assertThat(row.getInt(4)).isZero();
        assertThat(row.getString(5).toString()).isEqualTo("P0562");
        assertThat(row.getDouble(8)).isEqualTo(900.0);
        assertThat(rows.childRows("diagnostics", reading, null).get(0).isNullAt(8)).isTrue();
    }
}
