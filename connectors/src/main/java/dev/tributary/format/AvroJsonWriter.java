package dev.tributary.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes Avro records as plain JSON: field names as in the schema, nulls written out, unions
 * without Avro's type wrappers, {@code timestamp-millis} as ISO-8601 instants. It is the
 * inverse of {@link JsonAvroReader}. Stateless and thread-safe.
 */
public final class AvroJsonWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private AvroJsonWriter() {}

    public static byte[] toJsonBytes(IndexedRecord record) {
        return toJsonBytes(record, java.util.Set.of());
    }

    /** The record as JSON without the top-level fields named in {@code omitted}. */
    public static byte[] toJsonBytes(IndexedRecord record, java.util.Set<String> omitted) {
        try (ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
                JsonGenerator generator = FACTORY.createGenerator(buffer, JsonEncoding.UTF8)) {
            if (omitted.isEmpty()) {
                write(record, record.getSchema(), generator);
            } else {
                generator.writeStartObject();
                for (Schema.Field field : record.getSchema().getFields()) {
                    if (!omitted.contains(field.name())) {
                        generator.writeFieldName(field.name());
                        write(record.get(field.pos()), field.schema(), generator);
                    }
                }
                generator.writeEndObject();
            }
            generator.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Object datum, Schema schema, JsonGenerator generator) throws IOException {
        if (datum == null) {
            generator.writeNull();
            return;
        }
        switch (schema.getType()) {
            case RECORD: {
                IndexedRecord record = (IndexedRecord) datum;
                generator.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    generator.writeFieldName(field.name());
                    write(record.get(field.pos()), field.schema(), generator);
                }
                generator.writeEndObject();
                return;
            }
            case UNION:
                write(datum, branchFor(datum, schema), generator);
                return;
            case ARRAY:
                generator.writeStartArray();
                for (Object item : (Collection<?>) datum) {
                    write(item, schema.getElementType(), generator);
                }
                generator.writeEndArray();
                return;
            case MAP:
                generator.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) datum).entrySet()) {
                    generator.writeFieldName(entry.getKey().toString());
                    write(entry.getValue(), schema.getValueType(), generator);
                }
                generator.writeEndObject();
                return;
            case STRING:
            case ENUM:
                generator.writeString(datum.toString());
                return;
            case BOOLEAN:
                generator.writeBoolean((Boolean) datum);
                return;
            case INT:
                generator.writeNumber(((Number) datum).intValue());
                return;
            case LONG:
                if (datum instanceof Instant) {
                    generator.writeString(datum.toString());
                } else if (JsonAvroReader.isTimestampMillis(schema)) {
                    generator.writeString(Instant.ofEpochMilli(((Number) datum).longValue()).toString());
                } else {
                    generator.writeNumber(((Number) datum).longValue());
                }
                return;
            case FLOAT:
                generator.writeNumber(((Number) datum).floatValue());
                return;
            case DOUBLE:
                generator.writeNumber(((Number) datum).doubleValue());
                return;
            case NULL:
                generator.writeNull();
                return;
            default:
                throw new IllegalArgumentException("Unsupported schema type " + schema.getType());
        }
    }

    private static Schema branchFor(Object datum, Schema union) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL && matches(datum, branch)) {
                return branch;
            }
        }
        throw new IllegalArgumentException("No branch of " + union + " holds a " + datum.getClass().getName());
    }

    private static boolean matches(Object datum, Schema branch) {
        switch (branch.getType()) {
            case RECORD:
                return datum instanceof IndexedRecord && ((IndexedRecord) datum).getSchema().getFullName().equals(branch.getFullName());
            case ARRAY:
                return datum instanceof Collection;
            case MAP:
                return datum instanceof Map;
            case STRING:
            case ENUM:
                return datum instanceof CharSequence || datum instanceof Enum;
            case BOOLEAN:
                return datum instanceof Boolean;
            case INT:
                return datum instanceof Integer;
            case LONG:
                return datum instanceof Long || datum instanceof Instant;
            case FLOAT:
            case DOUBLE:
                return datum instanceof Float || datum instanceof Double;
            default:
                return false;
        }
    }
}
