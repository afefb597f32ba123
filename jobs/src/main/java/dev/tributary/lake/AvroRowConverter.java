package dev.tributary.lake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Converts Avro records to Flink's {@link RowData} in the layout of an
 * Iceberg struct (a table's schema, or a struct inside it), matching fields by name: a column takes
 * its value from the record where its Avro schema has the field, else from a JSON extension tree
 * (fields accepted by schema drift), else it is null. How each struct's columns map to the Avro
 * record is worked out once, when the converter is built, not per record.
 */
public final class AvroRowConverter {

    private final String[] names;
    private final int[] avroPositions;
    private final Schema[] avroSchemas;
    private final Converter[] converters;

    /** A converter for rows of {@code struct} read from records of {@code avroRecord} (null: every column from the extensions). */
    public AvroRowConverter(Types.StructType struct, Schema avroRecord) {
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

    /** The row of {@code record} (may be null), with the columns its Avro schema lacks taken from {@code extension} (may be null). */
    public GenericRowData convert(IndexedRecord record, JsonNode extension) {
        GenericRowData row = new GenericRowData(names.length);
        JsonNode object = extension != null && extension.isObject() ? extension : null;
        for (int i = 0; i < names.length; i++) {
            Object avro = record == null || avroPositions[i] < 0 ? null : record.get(avroPositions[i]);
            JsonNode json = object == null ? null : object.get(names[i]);
            row.setField(i, avro == null && json == null ? null : converters[i].convert(avro, json));
        }
        return row;
    }

    /** Converts one value: from the Avro datum when there is one, merged with (or else from) the JSON extension. */
    private interface Converter {
        Object convert(Object avro, JsonNode json);
    }

    private static Converter converter(Type type, Schema avro) {
        switch (type.typeId()) {
            case STRUCT: {
                AvroRowConverter plan = new AvroRowConverter(type.asStructType(), avro != null && avro.getType() == Schema.Type.RECORD ? avro : null);
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

    /** Records of one Avro type as rows of one Iceberg schema, as a Flink map function (the converter is built on first use). */
    public static final class Rows<T extends IndexedRecord> implements MapFunction<T, RowData> {
        private final org.apache.iceberg.Schema schema;
        private final Schema avro;
        private transient AvroRowConverter converter;

        public Rows(org.apache.iceberg.Schema schema, Schema avro) {
            this.schema = requireNonNull(schema, "schema is null");
            this.avro = requireNonNull(avro, "avro is null");
        }

        @Override
        public RowData map(T record) {
            if (converter == null) {
                converter = new AvroRowConverter(schema.asStruct(), avro);
            }
            return converter.convert(record, null);
        }
    }
}
