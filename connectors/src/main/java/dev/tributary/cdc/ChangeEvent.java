package dev.tributary.cdc;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One row change in Debezium's envelope: the row before and after, the operation, where it
 * came from and when Debezium processed it. {@code before} is null for creates and snapshot
 * reads, {@code after} is null for deletes.
 *
 * @param table the captured table, without database or schema
 */
public record ChangeEvent(Operation operation, ObjectNode before, ObjectNode after, String database, String table, long timestampMillis) {
    public ChangeEvent {
        requireNonNull(operation, "operation is null");
        requireNonNull(table, "table is null");
        if (operation == Operation.DELETE && before == null) {
            throw new IllegalArgumentException("a delete needs the row before it");
        }
        if (operation != Operation.DELETE && operation != Operation.TRUNCATE && after == null) {
            throw new IllegalArgumentException("a " + operation + " needs the row after it");
        }
    }

    /** The row as it is now: {@code after}, or {@code before} for a delete. */
    public ObjectNode row() {
        return after != null ? after : before;
    }

    /** Debezium's operation codes ({@code op}). */
    public enum Operation {
        CREATE("c"), UPDATE("u"), DELETE("d"), READ("r"), TRUNCATE("t");

        private final String code;

        Operation(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Operation fromCode(String code) {
            for (Operation operation : values()) {
                if (operation.code.equals(code)) {
                    return operation;
                }
            }
            throw new IllegalArgumentException("unknown Debezium operation '" + code + "'");
        }
    }
}
