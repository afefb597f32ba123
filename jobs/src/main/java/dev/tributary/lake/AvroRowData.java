package dev.tributary.lake;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Converts Avro records to Flink's {@link RowData} in the layout of the Iceberg schema that
 * {@link IcebergSchemas} derives from the same Avro schema.
 */
public final class AvroRowData {
    private AvroRowData() {}

    public static RowData convert(IndexedRecord record) {
        return (RowData) value(record, record.getSchema());
    }

    private static Object value(Object datum, Schema schema) {
        if (datum == null) {
            return null;
        }
        switch (schema.getType()) {
            case RECORD: {
                IndexedRecord record = (IndexedRecord) datum;
                GenericRowData row = new GenericRowData(schema.getFields().size());
                for (Schema.Field field : schema.getFields()) {
                    row.setField(field.pos(), value(record.get(field.pos()), field.schema()));
                }
                return row;
            }
            case UNION:
                return value(datum, IcebergSchemas.nonNull(schema));
            case ARRAY: {
                Collection<?> items = (Collection<?>) datum;
                Object[] elements = new Object[items.size()];
                int i = 0;
                for (Object item : items) {
                    elements[i++] = value(item, schema.getElementType());
                }
                return new GenericArrayData(elements);
            }
            case MAP: {
                Map<Object, Object> converted = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) datum).entrySet()) {
                    converted.put(StringData.fromString(entry.getKey().toString()), value(entry.getValue(), schema.getValueType()));
                }
                return new GenericMapData(converted);
            }
            case STRING:
            case ENUM:
                return StringData.fromString(datum.toString());
            case LONG:
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    return datum instanceof Instant
                            ? TimestampData.fromInstant((Instant) datum)
                            : TimestampData.fromEpochMillis(((Number) datum).longValue());
                }
                return datum;
            case BYTES: {
                ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            }
            default:
                return datum;
        }
    }
}
