package dev.tributary.schema;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * The differences between an Iceberg table's schema and the schema rows arrive in, by column
 * name: what the table can follow (added columns, widened types) and what it cannot (missing
 * columns, narrowed or changed types). Top-level columns; nested types compare whole.
 */
public final class IcebergSchemaDiff {
    private IcebergSchemaDiff() {}

    public static List<SchemaChange> compare(String subject, Schema table, Schema incoming) {
        List<SchemaChange> changes = new ArrayList<>();
        for (Types.NestedField column : incoming.columns()) {
            Types.NestedField existing = table.findField(column.name());
            if (existing == null) {
                changes.add(new SchemaChange(subject, SchemaChange.Kind.FIELD_ADDED, column.name(), null, column.type().toString()));
            } else if (!sameType(existing.type(), column.type())) {
                changes.add(new SchemaChange(subject, typeChange(existing.type(), column.type()), column.name(),
                        existing.type().toString(), column.type().toString()));
            }
        }
        for (Types.NestedField column : table.columns()) {
            if (incoming.findField(column.name()) == null) {
                changes.add(new SchemaChange(subject, SchemaChange.Kind.FIELD_MISSING, column.name(), column.type().toString(), null));
            }
        }
        return changes;
    }

    /** Types equal by structure and names, whatever their field ids. */
    static boolean sameType(Type left, Type right) {
        if (left.isPrimitiveType() || right.isPrimitiveType()) {
            return left.equals(right);
        }
        if (left.typeId() != right.typeId()) {
            return false;
        }
        switch (left.typeId()) {
            case LIST:
                return sameType(left.asListType().elementType(), right.asListType().elementType());
            case MAP:
                return sameType(left.asMapType().keyType(), right.asMapType().keyType())
                        && sameType(left.asMapType().valueType(), right.asMapType().valueType());
            default: {
                List<Types.NestedField> leftFields = left.asStructType().fields();
                List<Types.NestedField> rightFields = right.asStructType().fields();
                if (leftFields.size() != rightFields.size()) {
                    return false;
                }
                for (int i = 0; i < leftFields.size(); i++) {
                    if (!leftFields.get(i).name().equals(rightFields.get(i).name())
                            || !sameType(leftFields.get(i).type(), rightFields.get(i).type())) {
                        return false;
                    }
                }
                return true;
            }
        }
    }

    private static SchemaChange.Kind typeChange(Type stored, Type arrived) {
        if (stored.isPrimitiveType() && arrived.isPrimitiveType()) {
            if (TypeUtil.isPromotionAllowed(stored, arrived.asPrimitiveType())) {
                return SchemaChange.Kind.TYPE_WIDENED;
            }
            if (TypeUtil.isPromotionAllowed(arrived, stored.asPrimitiveType())) {
                return SchemaChange.Kind.TYPE_NARROWED;
            }
        }
        return SchemaChange.Kind.TYPE_CHANGED;
    }

    /**
     * The schema a table has after following the evolvable changes: added columns appended
     * (optional, new ids), widened types applied; everything else as it was.
     */
    public static Schema evolve(Schema table, Schema incoming) {
        List<Types.NestedField> columns = new ArrayList<>();
        for (Types.NestedField column : table.columns()) {
            Types.NestedField arrived = incoming.findField(column.name());
            if (arrived != null && !sameType(arrived.type(), column.type()) && column.type().isPrimitiveType()
                    && arrived.type().isPrimitiveType() && TypeUtil.isPromotionAllowed(column.type(), arrived.type().asPrimitiveType())) {
                columns.add(Types.NestedField.of(column.fieldId(), column.isOptional(), column.name(), arrived.type()));
            } else {
                columns.add(column);
            }
        }
        int[] lastId = {table.highestFieldId()};
        for (Types.NestedField column : incoming.columns()) {
            if (table.findField(column.name()) == null) {
                int id = ++lastId[0];
                Type type = column.type().isPrimitiveType() ? column.type()
                        : TypeUtil.assignFreshIds(new Schema(Types.NestedField.optional(0, "column", column.type())), () -> ++lastId[0])
                                .findField("column").type();
                columns.add(Types.NestedField.optional(id, column.name(), type));
            }
        }
        return new Schema(columns, table.identifierFieldIds());
    }
}
