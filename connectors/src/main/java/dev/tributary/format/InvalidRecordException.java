package dev.tributary.format;

import static java.util.Objects.requireNonNull;

/**
 * A JSON document that does not fit its Avro schema. The message names the field path
 * (dot-separated from the record root, {@code []} after an array, {@code {}} after a map)
 * and what was wrong with it, so that a dead-letter record explains itself.
 */
public final class InvalidRecordException extends Exception {
    private final String path;
    private final String reason;

    public InvalidRecordException(String path, String reason) {
        // No stack trace: invalid input is expected traffic, not a program error.
        super(path.isEmpty() ? reason : reason + " at '" + path + "'", null, false, false);
        this.path = requireNonNull(path, "path is null");
        this.reason = requireNonNull(reason, "reason is null");
    }

    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }
}
