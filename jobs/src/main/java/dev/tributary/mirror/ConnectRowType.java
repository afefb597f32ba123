package dev.tributary.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A row type of a captured table, read from the Kafka Connect schema that {@code JsonConverter}
 * writes next to each Debezium change ({@code schemas.enable=true}): its Iceberg schema, and how
 * to turn a row of the envelope into a Flink row of that schema. Debezium's semantic types keep
 * their meaning:
 *
 * <table>
 *   <caption>Connect to Iceberg</caption>
 *   <tr><td>int8, int16, int32 / int64</td><td>int / long</td></tr>
 *   <tr><td>float32 / float64 / boolean / bytes</td><td>float / double / boolean / binary</td></tr>
 *   <tr><td>{@code io.debezium.time.Date}, Connect {@code Date}</td><td>date</td></tr>
 *   <tr><td>{@code io.debezium.time.Timestamp}, {@code MicroTimestamp}, {@code NanoTimestamp}, Connect {@code Timestamp}</td><td>timestamp</td></tr>
 *   <tr><td>{@code io.debezium.time.ZonedTimestamp}</td><td>timestamptz</td></tr>
 *   <tr><td>{@code io.debezium.time.Time}, {@code MicroTime}, {@code NanoTime}, Connect {@code Time}</td><td>time (milliseconds kept)</td></tr>
 *   <tr><td>Connect {@code Decimal}</td><td>decimal(precision, scale)</td></tr>
 *   <tr><td>array of a primitive</td><td>list</td></tr>
 *   <tr><td>anything else (json, uuid, enum, variable-scale decimal, nested structs)</td><td>string</td></tr>
 * </table>
 */
public final class ConnectRowType implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Schema schema;
    private final List<Column> columns;

    private ConnectRowType(Schema schema, List<Column> columns) {
        this.schema = schema;
        this.columns = columns;
    }

    /** The row type of a row struct ({@code before}/{@code after}); key columns become required identifier fields. */
    public static ConnectRowType of(JsonNode rowSchema, Set<String> keyColumns) {
        List<Types.NestedField> fields = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        List<Integer> identifiers = new ArrayList<>();
        int[] nextId = {1};
        for (JsonNode field : rowSchema.path("fields")) {
            String name = field.path("field").asText();
            int id = nextId[0]++;
            Column column = column(name, field, nextId);
            boolean key = keyColumns.contains(name);
            boolean optional = field.path("optional").asBoolean(true) && !key;
            fields.add(optional ? Types.NestedField.optional(id, name, column.type) : Types.NestedField.required(id, name, column.type));
            columns.add(column);
            if (key) {
                identifiers.add(id);
            }
        }
        return new ConnectRowType(new Schema(fields, Set.copyOf(identifiers)), List.copyOf(columns));
    }

    public Schema schema() {
        return schema;
    }

    /** A Flink row of {@link #schema()} from a row of the envelope; a column the row lacks is null. */
    public GenericRowData toRow(JsonNode row) {
        return toRow(row, 0);
    }

    /** As {@link #toRow(JsonNode)}, with {@code trailingFields} more (null) fields after the columns, for the caller to fill. */
    public GenericRowData toRow(JsonNode row, int trailingFields) {
        GenericRowData out = new GenericRowData(columns.size() + trailingFields);
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            JsonNode value = row.get(column.name);
            out.setField(i, value == null || value.isNull() ? null : column.read(value));
        }
        return out;
    }

    private static Column column(String name, JsonNode field, int[] nextId) {
        String semantic = field.path("name").asText("");
        switch (semantic) {
            case "io.debezium.time.Date":
            case "org.apache.kafka.connect.data.Date":
                return new Column(name, Types.DateType.get(), Unit.DAYS);
            case "io.debezium.time.Timestamp":
            case "org.apache.kafka.connect.data.Timestamp":
                return new Column(name, Types.TimestampType.withoutZone(), Unit.MILLIS);
            case "io.debezium.time.MicroTimestamp":
                return new Column(name, Types.TimestampType.withoutZone(), Unit.MICROS);
            case "io.debezium.time.NanoTimestamp":
                return new Column(name, Types.TimestampType.withoutZone(), Unit.NANOS);
            case "io.debezium.time.ZonedTimestamp":
                return new Column(name, Types.TimestampType.withZone(), Unit.TEXT);
            case "io.debezium.time.Time":
            case "org.apache.kafka.connect.data.Time":
                return new Column(name, Types.TimeType.get(), Unit.MILLIS);
            case "io.debezium.time.MicroTime":
                return new Column(name, Types.TimeType.get(), Unit.MICROS);
            case "io.debezium.time.NanoTime":
                return new Column(name, Types.TimeType.get(), Unit.NANOS);
            case "org.apache.kafka.connect.data.Decimal": {
                JsonNode parameters = field.path("parameters");
                int scale = parameters.path("scale").asInt(0);
                int precision = parameters.path("connect.decimal.precision").asInt(38);
                return new Column(name, Types.DecimalType.of(Math.min(38, Math.max(precision, scale)), scale), Unit.NONE);
            }
            default:
                break;
        }
        switch (field.path("type").asText()) {
            case "int8":
            case "int16":
            case "int32":
                return new Column(name, Types.IntegerType.get(), Unit.NONE);
            case "int64":
                return new Column(name, Types.LongType.get(), Unit.NONE);
            case "float32":
                return new Column(name, Types.FloatType.get(), Unit.NONE);
            case "float64":
                return new Column(name, Types.DoubleType.get(), Unit.NONE);
            case "boolean":
                return new Column(name, Types.BooleanType.get(), Unit.NONE);
            case "bytes":
                return new Column(name, Types.BinaryType.get(), Unit.NONE);
            case "array": {
                JsonNode items = field.path("items");
                String itemType = items.path("type").asText();
                if (!itemType.equals("array") && !itemType.equals("struct") && !itemType.equals("map")) {
                    Column element = column(name, items, nextId);
                    return new Column(name, Types.ListType.ofOptional(nextId[0]++, element.type), Unit.NONE, element);
                }
                return new Column(name, Types.StringType.get(), Unit.NONE);
            }
            default:
                return new Column(name, Types.StringType.get(), Unit.NONE);
        }
    }

    /** How a semantic type encodes its value. */
    private enum Unit { NONE, DAYS, MILLIS, MICROS, NANOS, TEXT }

    private static final class Column implements Serializable {
        private static final long serialVersionUID = 1L;
        final String name;
        final Type type;
        final Unit unit;
        final Column element;

        Column(String name, Type type, Unit unit) {
            this(name, type, unit, null);
        }

        Column(String name, Type type, Unit unit, Column element) {
            this.name = name;
            this.type = type;
            this.unit = unit;
            this.element = element;
        }

        Object read(JsonNode value) {
            switch (type.typeId()) {
                case INTEGER:
                case DATE:
                    return value.asInt();
                case LONG:
                    return value.asLong();
                case FLOAT:
                    return (float) value.asDouble();
                case DOUBLE:
                    return value.asDouble();
                case BOOLEAN:
                    return value.asBoolean();
                case TIME:
                    return timeMillis(value);
                case TIMESTAMP:
                    return timestamp(value);
                case DECIMAL: {
                    Types.DecimalType decimal = (Types.DecimalType) type;
                    BigDecimal number = value.isTextual()
                            ? new BigDecimal(new BigInteger(Base64.getDecoder().decode(value.asText())), decimal.scale())
                            : value.decimalValue().setScale(decimal.scale());
                    return DecimalData.fromBigDecimal(number, decimal.precision(), decimal.scale());
                }
                case BINARY:
                    return Base64.getDecoder().decode(value.asText());
                case LIST: {
                    Object[] elements = new Object[value.size()];
                    for (int i = 0; i < elements.length; i++) {
                        JsonNode item = value.get(i);
                        elements[i] = item == null || item.isNull() ? null : element.read(item);
                    }
                    return new GenericArrayData(elements);
                }
                default:
                    return StringData.fromString(value.isTextual() ? value.asText() : value.toString());
            }
        }

        /** Flink's TIME holds milliseconds of the day. */
        private int timeMillis(JsonNode value) {
            if (value.isTextual()) {
                return (int) (LocalTime.parse(value.asText()).toNanoOfDay() / 1_000_000);
            }
            long number = value.asLong();
            return (int) switch (unit) {
                case MICROS -> number / 1000;
                case NANOS -> number / 1_000_000;
                default -> number;
            };
        }

        private TimestampData timestamp(JsonNode value) {
            if (unit == Unit.TEXT || value.isTextual()) {
                return TimestampData.fromInstant(OffsetDateTime.parse(value.asText()).toInstant());
            }
            long number = value.asLong();
            return switch (unit) {
                case MICROS -> TimestampData.fromEpochMillis(Math.floorDiv(number, 1000L), (int) Math.floorMod(number, 1000L) * 1000);
                case NANOS -> TimestampData.fromEpochMillis(Math.floorDiv(number, 1_000_000L), (int) Math.floorMod(number, 1_000_000L));
                default -> TimestampData.fromEpochMillis(number);
            };
        }
    }
}
