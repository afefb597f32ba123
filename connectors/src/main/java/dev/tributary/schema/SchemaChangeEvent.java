package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

/**
 * A schema change as it is reported: the change, when it was first seen, an example record
 * (its topic, partition and offset), and how many records showed it so far.
 */
public record SchemaChangeEvent(
        SchemaChange change,
        long firstSeenMillis,
        String exampleTopic,
        int examplePartition,
        long exampleOffset,
        long count,
        String action) {
    public SchemaChangeEvent {
        requireNonNull(change, "change is null");
        requireNonNull(exampleTopic, "exampleTopic is null");
        requireNonNull(action, "action is null");
    }
}
