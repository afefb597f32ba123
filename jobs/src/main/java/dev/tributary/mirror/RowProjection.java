package dev.tributary.mirror;

import java.util.List;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Rows of one shape put into a table's schema, by column name: a column the shape lacks is null;
 * a value of a narrower type is widened (int to long, float to double, a decimal to a wider one).
 */
final class RowProjection {
    private final Schema target;
    private final int[] sourceIndex;
    private final Type[] sourceTypes;

    RowProjection(Schema source, Schema target) {
        this.target = target;
        List<Types.NestedField> columns = target.columns();
        this.sourceIndex = new int[columns.size()];
        this.sourceTypes = new Type[columns.size()];
        List<Types.NestedField> sourceColumns = source.columns();
        for (int i = 0; i < columns.size(); i++) {
            sourceIndex[i] = -1;
            for (int j = 0; j < sourceColumns.size(); j++) {
                if (sourceColumns.get(j).name().equals(columns.get(i).name())) {
                    sourceIndex[i] = j;
                    sourceTypes[i] = sourceColumns.get(j).type();
                }
            }
        }
    }

    Schema target() {
        return target;
    }

    GenericRowData project(GenericRowData row) {
        List<Types.NestedField> columns = target.columns();
        GenericRowData out = new GenericRowData(row.getRowKind(), columns.size());
        for (int i = 0; i < columns.size(); i++) {
            if (sourceIndex[i] >= 0) {
                out.setField(i, widen(row.getField(sourceIndex[i]), sourceTypes[i], columns.get(i).type()));
            }
        }
        return out;
    }

    private static Object widen(Object value, Type from, Type to) {
        if (value == null || from.equals(to)) {
            return value;
        }
        switch (to.typeId()) {
            case LONG:
                return ((Number) value).longValue();
            case DOUBLE:
                return ((Number) value).doubleValue();
            case DECIMAL: {
                Types.DecimalType decimal = (Types.DecimalType) to;
                return DecimalData.fromBigDecimal(((DecimalData) value).toBigDecimal(), decimal.precision(), decimal.scale());
            }
            default:
                return value;
        }
    }
}
