package dev.tributary.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.schemas.telemetry.ReservationInfo;
import dev.tributary.schemas.telemetry.VehicleInfo;
import dev.tributary.telemetry.TestReadings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class IcebergSchemasTest {
    private static final Schema AVRO = EnrichedTelemetry.getClassSchema();
    private static final Instant EVENT_TIME = Instant.parse("2025-03-14T09:26:53.589Z");

    private final org.apache.iceberg.Schema iceberg = IcebergSchemas.fromAvro(AVRO);

    @Test
    void topLevelColumnsFollowTheAvroFieldsInOrder() {
        assertThat(iceberg.columns()).extracting(Types.NestedField::name)
                .containsExactlyElementsOf(AVRO.getFields().stream().map(Schema.Field::name).toList());
        for (Schema.Field field : AVRO.getFields()) {
            boolean nullable = field.schema().getType() == Schema.Type.UNION;
            assertThat(iceberg.findField(field.name()).isOptional()).as(field.name()).isEqualTo(nullable);
        }
    }

    @Test
    void timestampsAreTimestamptz() {
        assertThat(iceberg.findType("event_time")).isEqualTo(Types.TimestampType.withZone());
        assertThat(iceberg.findType("ingested_at")).isEqualTo(Types.TimestampType.withZone());
        assertThat(iceberg.findField("reservation.starts_at").isOptional()).isTrue();
        assertThat(iceberg.findType("reservation.starts_at")).isEqualTo(Types.TimestampType.withZone());
        assertThat(iceberg.findType("sequence")).isEqualTo(Types.LongType.get());
        assertThat(iceberg.findType("enrichment_wait_ms")).isEqualTo(Types.LongType.get());
    }

    @Test
    void nestedRecordsAreStructsWithTheirOwnRequiredAndOptionalFields() {
        assertThat(iceberg.findField("engine").isRequired()).isTrue();
        assertThat(iceberg.findType("engine").isStructType()).isTrue();
        assertThat(iceberg.findField("engine.on").isRequired()).isTrue();
        assertThat(iceberg.findType("engine.rpm")).isEqualTo(Types.IntegerType.get());
        assertThat(iceberg.findField("engine.oil_pressure_kpa").isOptional()).isTrue();
        assertThat(iceberg.findType("engine.oil_pressure_kpa")).isEqualTo(Types.DoubleType.get());
        assertThat(iceberg.findField("doors.front_left.open").isRequired()).isTrue();
        assertThat(iceberg.findType("lights.headlights.high_beam")).isEqualTo(Types.BooleanType.get());
        assertThat(iceberg.findField("vehicle").isOptional()).isTrue();
        assertThat(iceberg.findField("vehicle.model_year").isOptional()).isTrue();
        assertThat(iceberg.findType("vehicle.model_year")).isEqualTo(Types.IntegerType.get());
        assertThat(iceberg.findField("source.offset").isRequired()).isTrue();
        assertThat(iceberg.findType("source.partition")).isEqualTo(Types.IntegerType.get());
    }

    @Test
    void diagnosticsIsARequiredListOfStructs() {
        Types.NestedField diagnostics = iceberg.findField("diagnostics");
        assertThat(diagnostics.isRequired()).isTrue();
        assertThat(diagnostics.type().isListType()).isTrue();
        Types.ListType list = diagnostics.type().asListType();
        assertThat(list.isElementRequired()).isTrue();
        Type element = list.elementType();
        assertThat(element.isStructType()).isTrue();
        assertThat(element.asStructType().fields()).extracting(Types.NestedField::name).containsExactly("code", "severity", "message");
        assertThat(element.asStructType().field("code").isRequired()).isTrue();
        assertThat(element.asStructType().field("message").isOptional()).isTrue();
    }

    @Test
    void fieldIdsAreUniqueAndDense() {
        List<Integer> ids = new ArrayList<>();
        collectIds(iceberg.asStruct(), ids);

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).hasSize(iceberg.highestFieldId());
        assertThat(TypeUtil.indexByName(iceberg.asStruct())).containsKeys("diagnostics.element.code", "vehicle.vin", "reservation.reservation_id");
    }

    private static void collectIds(Type type, List<Integer> ids) {
        if (type.isStructType()) {
            for (Types.NestedField field : type.asStructType().fields()) {
                ids.add(field.fieldId());
                collectIds(field.type(), ids);
            }
        } else if (type.isListType()) {
            ids.add(type.asListType().elementId());
            collectIds(type.asListType().elementType(), ids);
        } else if (type.isMapType()) {
            ids.add(type.asMapType().keyId());
            ids.add(type.asMapType().valueId());
            collectIds(type.asMapType().valueType(), ids);
        }
    }

    @Test
    void onlyRecordsBecomeTables() {
        assertThatThrownBy(() -> IcebergSchemas.fromAvro(Schema.create(Schema.Type.STRING)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowLinesUpWithTheTableSchema() {
        EnrichedTelemetry reading = enrichedReading();

        RowData row = new TelemetryRows(iceberg, java.util.Map.of()).mainRow(reading, null);

        assertThat(row.getArity()).isEqualTo(iceberg.columns().size());
        assertThat(row.getString(pos("event_id")).toString()).isEqualTo(reading.getEventId());
        assertThat(row.getLong(pos("sequence"))).isEqualTo(reading.getSequence());
        assertThat(row.getTimestamp(pos("event_time"), 3).toInstant()).isEqualTo(EVENT_TIME);
        assertThat(row.getString(pos("firmware_version")).toString()).isEqualTo("4.2.1");

        RowData engine = row.getRow(pos("engine"), iceberg.findType("engine").asStructType().fields().size());
        assertThat(engine.getBoolean(0)).isFalse();
        assertThat(engine.isNullAt(3)).as("engine.oil_pressure_kpa is absent").isTrue();

        RowData doors = row.getRow(pos("doors"), 6);
        assertThat(doors.getRow(1, 1).getBoolean(0)).as("doors.front_left.open").isTrue();

        RowData headlights = row.getRow(pos("lights"), 3).getRow(0, 2);
        assertThat(headlights.getBoolean(0)).isTrue();

        ArrayData diagnostics = row.getArray(pos("diagnostics"));
        assertThat(diagnostics.size()).isEqualTo(1);
        assertThat(diagnostics.getRow(0, 3).getString(0).toString()).isEqualTo("P0562");
        assertThat(diagnostics.getRow(0, 3).isNullAt(2)).isTrue();

        assertThat(row.getString(pos("vehicle_id")).toString()).isEqualTo("veh-7");
        RowData vehicle = row.getRow(pos("vehicle"), 6);
        assertThat(vehicle.getString(1).toString()).isEqualTo("Volvo");
        assertThat(vehicle.getInt(3)).isEqualTo(2023);
        assertThat(vehicle.isNullAt(5)).isTrue();
        RowData reservation = row.getRow(pos("reservation"), 5);
        assertThat(reservation.getTimestamp(3, 3).toInstant()).isEqualTo(Instant.parse("2025-03-14T08:00:00Z"));
        assertThat(reservation.isNullAt(4)).as("reservation.ends_at").isTrue();

        RowData source = row.getRow(pos("source"), 3);
        assertThat(source.getString(0).toString()).isEqualTo(TestReadings.TOPIC);
        assertThat(source.getLong(2)).isEqualTo(77L);
        assertThat(row.getTimestamp(pos("ingested_at"), 3).toInstant()).isEqualTo(TestReadings.INGESTED_AT);
    }

    @Test
    void unenrichedRowHasNullOptionalStructs() {
        EnrichedTelemetry reading = TestReadings.reading("dev-1", 1, EVENT_TIME).parsed(1);

        RowData row = new TelemetryRows(iceberg, java.util.Map.of()).mainRow(reading, null);

        assertThat(row.isNullAt(pos("vehicle_id"))).isTrue();
        assertThat(row.isNullAt(pos("vehicle"))).isTrue();
        assertThat(row.isNullAt(pos("reservation"))).isTrue();
        assertThat(row.isNullAt(pos("engine"))).isFalse();
        assertValuesFit(row, FlinkSchemaUtil.convert(iceberg), "");
    }

    @Test
    void everyValueHasTheClassFlinkExpectsForItsColumnType() {
        RowType rowType = FlinkSchemaUtil.convert(iceberg);

        assertValuesFit(new TelemetryRows(iceberg, java.util.Map.of()).mainRow(enrichedReading(), null), rowType, "");
    }

    /** Walks a row along its Flink type: required values are present and every value is of the internal class of its type. */
    private static void assertValuesFit(RowData row, RowType type, String path) {
        assertThat(row.getArity()).as(path).isEqualTo(type.getFieldCount());
        for (int i = 0; i < type.getFieldCount(); i++) {
            LogicalType fieldType = type.getTypeAt(i);
            String fieldPath = path + type.getFieldNames().get(i);
            Object value = RowData.createFieldGetter(fieldType, i).getFieldOrNull(row);
            assertValueFits(value, fieldType, fieldPath);
        }
    }

    private static void assertValueFits(Object value, LogicalType type, String path) {
        if (value == null) {
            assertThat(type.isNullable()).as("%s is required but null", path).isTrue();
            return;
        }
        switch (type.getTypeRoot()) {
            case VARCHAR -> assertThat(value).as(path).isInstanceOf(StringData.class);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> assertThat(value).as(path).isInstanceOf(TimestampData.class);
            case BIGINT -> assertThat(value).as(path).isInstanceOf(Long.class);
            case INTEGER -> assertThat(value).as(path).isInstanceOf(Integer.class);
            case DOUBLE -> assertThat(value).as(path).isInstanceOf(Double.class);
            case BOOLEAN -> assertThat(value).as(path).isInstanceOf(Boolean.class);
            case ROW -> {
                assertThat(value).as(path).isInstanceOf(RowData.class);
                assertValuesFit((RowData) value, (RowType) type, path + ".");
            }
            case ARRAY -> {
                assertThat(value).as(path).isInstanceOf(ArrayData.class);
                ArrayData array = (ArrayData) value;
                LogicalType elementType = ((ArrayType) type).getElementType();
                for (int i = 0; i < array.size(); i++) {
                    assertValueFits(ArrayData.createElementGetter(elementType).getElementOrNull(array, i), elementType, path + "[" + i + "]");
                }
            }
            default -> throw new AssertionError(path + ": the test does not know type " + type);
        }
    }

    private int pos(String column) {
        return iceberg.columns().indexOf(iceberg.findField(column));
    }

    private static EnrichedTelemetry enrichedReading() {
        EnrichedTelemetry reading = TestReadings.reading("dev-1", 12, EVENT_TIME).headlightsOn(true).frontLeftOpen(true).parsedForVehicle("veh-7", 77);
        reading.setVehicle(VehicleInfo.newBuilder().setVin("YV1XZ16A9P1234567").setMake("Volvo").setModel("XC40")
                .setModelYear(2023).setFuelType("electric").setHomeZone(null).build());
        reading.setReservation(ReservationInfo.newBuilder().setReservationId("res-1").setCustomerId("cust-3").setStatus("active")
                .setStartsAt(Instant.parse("2025-03-14T08:00:00Z")).setEndsAt(null).build());
        reading.setEnrichmentStatus("enriched");
        return reading;
    }
}
