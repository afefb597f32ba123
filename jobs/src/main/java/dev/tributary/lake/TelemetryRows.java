package dev.tributary.lake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Turns an enriched reading into the rows of the lake's telemetry tables, in their current
 * schemas: the main table's row, and a row per element of each pivoted array
 * ({@link TelemetryLakeLayout}), by {@link AvroRowConverter}: a column takes its value from the
 * reading's Avro record where the registered schema has it, else from the reading's extension tree
 * (the fields accepted by schema drift); a column neither has is null.
 */
public final class TelemetryRows {
    private final AvroRowConverter main;
    private final Map<String, ChildPlan> children;

    /** A plan for the main table's schema and each pivoted path's child table schema. */
    public TelemetryRows(org.apache.iceberg.Schema mainSchema, Map<String, org.apache.iceberg.Schema> childSchemas) {
        Schema avro = EnrichedTelemetry.getClassSchema();
        this.main = new AvroRowConverter(mainSchema.asStruct(), avro);
        this.children = new LinkedHashMap<>();
        childSchemas.forEach((path, schema) -> children.put(path, new ChildPlan(path, schema, avro)));
    }

    /** The main table's row. */
    public RowData mainRow(EnrichedTelemetry reading, JsonNode extensions) {
        return main.convert(reading, extensions);
    }

    /** The child rows of the array at {@code path}, one per element. */
    public List<RowData> childRows(String path, EnrichedTelemetry reading, JsonNode extensions) {
        return requireNonNull(children.get(path), "no child table for " + path).rows(reading, extensions);
    }

    /** The rows of one child table: the reading's keys, the element's ordinal, the element's columns. */
    private static final class ChildPlan {
        private final String[] steps;
        private final int[] avroPositions;
        private final AvroRowConverter element;

        ChildPlan(String path, org.apache.iceberg.Schema schema, Schema avroRoot) {
            this.steps = path.split("\\.");
            this.avroPositions = new int[steps.length];
            Schema record = avroRoot;
            Schema arrayElement = null;
            for (int i = 0; i < steps.length; i++) {
                Schema.Field field = record == null ? null : record.getField(steps[i]);
                avroPositions[i] = field == null ? -1 : field.pos();
                Schema fieldSchema = field == null ? null : IcebergSchemas.nonNull(field.schema());
                if (i < steps.length - 1) {
                    record = fieldSchema != null && fieldSchema.getType() == Schema.Type.RECORD ? fieldSchema : null;
                } else {
                    arrayElement = fieldSchema != null && fieldSchema.getType() == Schema.Type.ARRAY ? IcebergSchemas.nonNull(fieldSchema.getElementType()) : null;
                }
            }
            this.element = new AvroRowConverter(TelemetryLakeLayout.elementOf(schema), arrayElement != null && arrayElement.getType() == Schema.Type.RECORD ? arrayElement : null);
        }

        List<RowData> rows(EnrichedTelemetry reading, JsonNode extensions) {
            Object datum = reading;
            JsonNode json = extensions;
            for (int i = 0; i < steps.length; i++) {
                datum = datum instanceof IndexedRecord record && avroPositions[i] >= 0 ? record.get(avroPositions[i]) : null;
                json = json != null && json.isObject() ? json.get(steps[i]) : null;
            }
            List<Object> avroItems = datum == null ? List.of() : new ArrayList<>((Collection<?>) datum);
            int jsonSize = json != null && json.isArray() ? json.size() : 0;
            int size = Math.max(avroItems.size(), jsonSize);
            List<RowData> rows = new ArrayList<>(size);
            StringData eventId = StringData.fromString(reading.getEventId());
            StringData deviceId = StringData.fromString(reading.getDeviceId());
            StringData vehicleId = reading.getVehicleId() == null ? null : StringData.fromString(reading.getVehicleId());
            TimestampData eventTime = TimestampData.fromInstant(reading.getEventTime());
            int keys = TelemetryLakeLayout.CHILD_KEY_COLUMNS.size();
            for (int i = 0; i < size; i++) {
                GenericRowData values = element.convert(i < avroItems.size() ? (IndexedRecord) avroItems.get(i) : null, i < jsonSize ? json.get(i) : null);
                GenericRowData row = new GenericRowData(keys + values.getArity());
                row.setField(0, eventId);
                row.setField(1, deviceId);
                row.setField(2, vehicleId);
                row.setField(3, eventTime);
                row.setField(4, i);
                for (int column = 0; column < values.getArity(); column++) {
                    row.setField(keys + column, values.getField(column));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
