package dev.tributary.deadletter;

import static java.util.Objects.requireNonNull;

/**
 * An input record the pipeline could not use, kept whole: its original key and value bytes,
 * where it came from, and why it was refused. Written to the dead-letter topic with the
 * original bytes as the value and the rest in {@code tributary.dlq.*} headers.
 *
 * @param value the original bytes; null for a Kafka record with a null value
 */
public record DeadLetter(
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        long sourceTimestamp,
        byte[] key,
        byte[] value,
        String reason,
        String stage) {

    public DeadLetter {
        requireNonNull(sourceTopic, "sourceTopic is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(stage, "stage is null");
    }
}
