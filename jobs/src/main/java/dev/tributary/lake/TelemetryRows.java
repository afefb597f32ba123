package dev.tributary.lake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Turns an enriched reading into the rows of the lake's telemetry tables, in their current
 * schemas: the main table's row, and a row per element of each pivoted array
 * ({@link TelemetryLakeLayout}). A column takes its value from the reading's Avro record where the
 * registered schema has it, else from the reading's extension tree (the fields accepted by schema
 * drift); a column neither has is null. How each struct's columns map to the Avro record is worked
 * out once per schema, not per reading.
 */
public final class TelemetryRows {
    private final StructPlan main;
    private final Map<String, ChildPlan> children;

    /** A plan for the main table's schema and each pivoted path's child table schema. */
    public TelemetryRows(org.apache.iceberg.Schema mainSchema, Map<String, org.apache.iceberg.Schema> childSchemas) {
        Schema avro = EnrichedTelemetry.getClassSchema();
        this.main = new StructPlan(mainSchema.asStruct(), avro);
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

    /** Readings as main-table rows of one schema, for Iceberg's {@code FlinkSink}. */
    public static final class MainRows implements org.apache.flink.api.common.functions.MapFunction<EnrichedTelemetry, RowData> {
        private final org.apache.iceberg.Schema schema;
        private transient TelemetryRows rows;

        public MainRows(org.apache.iceberg.Schema schema) {
            this.schema = requireNonNull(schema, "schema is null");
        }

        @Override
        public RowData map(EnrichedTelemetry reading) {
            if (rows == null) {
                rows = new TelemetryRows(schema, Map.of());
            }
            return rows.mainRow(reading, null);
        }
    }

    /** The columns of one struct: for each, the Avro field it reads (or none) and how to convert it. */
    private static final class StructPlan {
        private final String[] names;
        private final int[] avroPositions;
        private final Schema[] avroSchemas;
        private final Converter[] converters;

        StructPlan(Types.StructType struct, Schema avroRecord) {
            List<Types.NestedField> fields = struct.fields();
            names = new String[fields.size()];
            avroPositions = new int[fields.size()];
            avroSchemas = new Schema[fields.size()];
            converters = new Converter[fields.size()];
            for (int i = 0; i < fields.size(); i++) {
                Types.NestedField field = fields.get(i);
                names[i] = field.name();
                Schema.Field avroField = avroRecord == null ? null : avroRecord.getField(field.name());
                avroPositions[i] = avroField == null ? -1 : avroField.pos();
                avroSchemas[i] = avroField == null ? null : IcebergSchemas.nonNull(avroField.schema());
                converters[i] = converter(field.type(), avroSchemas[i]);
            }
        }

        GenericRowData convert(IndexedRecord record, JsonNode extension) {
            GenericRowData row = new GenericRowData(names.length);
            JsonNode object = extension != null && extension.isObject() ? extension : null;
            for (int i = 0; i < names.length; i++) {
                Object avro = record == null || avroPositions[i] < 0 ? null : record.get(avroPositions[i]);
                JsonNode json = object == null ? null : object.get(names[i]);
                row.setField(i, avro == null && json == null ? null : converters[i].convert(avro, json));
            }
            return row;
        }
    }

    /** Converts one value: from the Avro datum when there is one, merged with (or else from) the JSON extension. */
    private interface Converter {
        Object convert(Object avro, JsonNode json);
    }

    private static Converter converter(Type type, Schema avro) {
        switch (type.typeId()) {
            case STRUCT: {
                StructPlan plan = new StructPlan(type.asStructType(), avro != null && avro.getType() == Schema.Type.RECORD ? avro : null);
                return (datum, json) -> plan.convert((IndexedRecord) datum, json);
            }
            case LIST: {
                Schema avroElement = avro != null && avro.getType() == Schema.Type.ARRAY ? IcebergSchemas.nonNull(avro.getElementType()) : null;
                Converter element = converter(type.asListType().elementType(), avroElement);
                return (datum, json) -> {
                    List<Object> avroItems = datum == null ? List.of() : new ArrayList<>((Collection<?>) datum);
                    int jsonSize = json != null && json.isArray() ? json.size() : 0;
                    Object[] items = new Object[Math.max(avroItems.size(), jsonSize)];
                    for (int i = 0; i < items.length; i++) {
                        Object item = i < avroItems.size() ? avroItems.get(i) : null;
                        JsonNode jsonItem = i < jsonSize ? json.get(i) : null;
                        items[i] = item == null && (jsonItem == null || jsonItem.isNull()) ? null : element.convert(item, jsonItem);
                    }
                    return new GenericArrayData(items);
                };
            }
            case MAP: {
                Schema avroValue = avro != null && avro.getType() == Schema.Type.MAP ? IcebergSchemas.nonNull(avro.getValueType()) : null;
                Converter value = converter(type.asMapType().valueType(), avroValue);
                return (datum, json) -> {
                    Map<Object, Object> converted = new LinkedHashMap<>();
                    if (datum != null) {
                        for (Map.Entry<?, ?> entry : ((Map<?, ?>) datum).entrySet()) {
                            JsonNode jsonValue = json == null ? null : json.get(entry.getKey().toString());
                            converted.put(StringData.fromString(entry.getKey().toString()), value.convert(entry.getValue(), jsonValue));
                        }
                    }
                    if (json != null && json.isObject()) {
                        for (Iterator<Map.Entry<String, JsonNode>> entries = json.fields(); entries.hasNext(); ) {
                            Map.Entry<String, JsonNode> entry = entries.next();
                            converted.putIfAbsent(StringData.fromString(entry.getKey()), value.convert(null, entry.getValue()));
                        }
                    }
                    return new GenericMapData(converted);
                };
            }
            default:
                return (datum, json) -> datum != null ? fromAvro(datum, type) : fromJson(json, type);
        }
    }

    private static Object fromAvro(Object datum, Type type) {
        switch (type.typeId()) {
            case STRING:
                return StringData.fromString(datum.toString());
            case TIMESTAMP:
                return datum instanceof Instant instant ? TimestampData.fromInstant(instant) : TimestampData.fromEpochMillis(((Number) datum).longValue());
            case BINARY: {
                ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            }
            default:
                return datum;
        }
    }

    /** An extension value as the column's type; null when it does not fit (drift checking took such values out before). */
    private static Object fromJson(JsonNode json, Type type) {
        if (json == null || json.isNull() || !ExtensionFields.scalarFits(type, json)) {
            return null;
        }
        switch (type.typeId()) {
            case BOOLEAN:
                return json.booleanValue();
            case INTEGER:
                return json.intValue();
            case LONG:
                return json.longValue();
            case FLOAT:
                return json.floatValue();
            case DOUBLE:
                return json.doubleValue();
            case STRING:
                return StringData.fromString(json.textValue());
            case TIMESTAMP:
                if (json.isIntegralNumber()) {
                    return TimestampData.fromEpochMillis(json.longValue());
                }
                try {
                    return TimestampData.fromInstant(Instant.parse(json.textValue()));
                } catch (DateTimeParseException e) {
                    return null;
                }
            default:
                return null;
        }
    }

    /** The rows of one child table: the reading's keys, the element's ordinal, the element's columns. */
    private static final class ChildPlan {
        private final String[] steps;
        private final int[] avroPositions;
        private final StructPlan element;

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
            this.element = new StructPlan(TelemetryLakeLayout.elementOf(schema), arrayElement != null && arrayElement.getType() == Schema.Type.RECORD ? arrayElement : null);
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
