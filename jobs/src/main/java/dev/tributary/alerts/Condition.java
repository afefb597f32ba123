package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.telemetry.ReadingField;
import java.util.List;
import java.util.Locale;

/**
 * One comparison of a rule: a field of the enriched reading (or, with {@code *}, every field
 * it names) against a constant. A null value never satisfies a comparison.
 */
public record Condition(String path, List<ReadingField> fields, Comparison comparison, Object operand) implements java.io.Serializable {
    /** The comparisons a rules file may use, by their names in the file. */
    public enum Comparison {
        EQUALS("equals", "="), NOT_EQUALS("not_equals", "!="), BELOW("below", "<"), ABOVE("above", ">"),
        AT_MOST("at_most", "<="), AT_LEAST("at_least", ">=");

        private final String key;
        private final String symbol;

        Comparison(String key, String symbol) {
            this.key = key;
            this.symbol = symbol;
        }

        public String key() {
            return key;
        }

        public boolean ordering() {
            return this != EQUALS && this != NOT_EQUALS;
        }
    }

    public Condition {
        requireNonNull(path, "path is null");
        fields = List.copyOf(fields);
        requireNonNull(comparison, "comparison is null");
        requireNonNull(operand, "operand is null");
    }

    public boolean test(EnrichedTelemetry reading) {
        for (ReadingField field : fields) {
            if (!test(field.read(reading))) {
                return false;
            }
        }
        return true;
    }

    private boolean test(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Number number) {
            double left = number.doubleValue();
            double right = ((Number) operand).doubleValue();
            return switch (comparison) {
                case EQUALS -> left == right;
                case NOT_EQUALS -> left != right;
                case BELOW -> left < right;
                case ABOVE -> left > right;
                case AT_MOST -> left <= right;
                case AT_LEAST -> left >= right;
            };
        }
        boolean equal = value instanceof CharSequence text ? text.toString().equals(operand) : value.equals(operand);
        return comparison == Comparison.EQUALS ? equal : !equal;
    }

    /** The condition as people read it: {@code battery.voltage_v < 11.8}. */
    public String describe() {
        return path + " " + comparison.symbol + " " + format(operand);
    }

    static String format(Object value) {
        if (value instanceof Double number && number == Math.rint(number) && Math.abs(number) < 1e15) {
            return Long.toString(number.longValue());
        }
        return value instanceof Double number ? String.format(Locale.ROOT, "%s", number) : String.valueOf(value);
    }
}
