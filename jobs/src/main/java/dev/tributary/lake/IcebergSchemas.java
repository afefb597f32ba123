package dev.tributary.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Derives Iceberg table schemas from the Avro schemas in {@code schemas/}, which stay the
 * source of truth: records become structs, arrays lists, maps maps (string keys), a union
 * with null an optional field, {@code timestamp-millis} a {@code timestamptz}. Field order is
 * kept, so rows converted by {@link TelemetryRows} line up with the table's columns.
 */
public final class IcebergSchemas {
    private IcebergSchemas() {}

    public static org.apache.iceberg.Schema fromAvro(Schema record) {
        if (record.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("a table schema comes from an Avro record, not " + record.getType());
        }
        AtomicInteger ids = new AtomicInteger(0);
        return new org.apache.iceberg.Schema(fields(record, ids));
    }

    private static List<Types.NestedField> fields(Schema record, AtomicInteger ids) {
        List<Types.NestedField> fields = new ArrayList<>();
        // Ids of one level first, then nested ones, as Iceberg assigns them.
        int[] fieldIds = new int[record.getFields().size()];
        for (int i = 0; i < fieldIds.length; i++) {
            fieldIds[i] = ids.incrementAndGet();
        }
        for (int i = 0; i < fieldIds.length; i++) {
            Schema.Field field = record.getFields().get(i);
            Schema schema = field.schema();
            boolean optional = isNullable(schema);
            Type type = type(nonNull(schema), ids);
            fields.add(optional
                    ? Types.NestedField.optional(fieldIds[i], field.name(), type, field.doc())
                    : Types.NestedField.required(fieldIds[i], field.name(), type, field.doc()));
        }
        return fields;
    }

    private static Type type(Schema schema, AtomicInteger ids) {
        switch (schema.getType()) {
            case RECORD:
                return Types.StructType.of(fields(schema, ids));
            case ARRAY: {
                int elementId = ids.incrementAndGet();
                Schema element = schema.getElementType();
                Type elementType = type(nonNull(element), ids);
                return isNullable(element) ? Types.ListType.ofOptional(elementId, elementType) : Types.ListType.ofRequired(elementId, elementType);
            }
            case MAP: {
                int keyId = ids.incrementAndGet();
                int valueId = ids.incrementAndGet();
                Schema value = schema.getValueType();
                Type valueType = type(nonNull(value), ids);
                return isNullable(value)
                        ? Types.MapType.ofOptional(keyId, valueId, Types.StringType.get(), valueType)
                        : Types.MapType.ofRequired(keyId, valueId, Types.StringType.get(), valueType);
            }
            case STRING:
            case ENUM:
                return Types.StringType.get();
            case BOOLEAN:
                return Types.BooleanType.get();
            case INT:
                return Types.IntegerType.get();
            case LONG:
                return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                        ? Types.TimestampType.withZone()
                        : Types.LongType.get();
            case FLOAT:
                return Types.FloatType.get();
            case DOUBLE:
                return Types.DoubleType.get();
            case BYTES:
                return Types.BinaryType.get();
            default:
                throw new IllegalArgumentException("no Iceberg type for Avro " + schema);
        }
    }

    static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = new ArrayList<>();
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                branches.add(branch);
            }
        }
        if (branches.size() != 1) {
            throw new IllegalArgumentException("only unions of null and one type map to Iceberg: " + schema);
        }
        return branches.get(0);
    }
}
