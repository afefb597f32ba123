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

    /**
     * The same change seen again: the counts added up; the time, example and action of the
     * earlier of the two sightings kept.
     */
    public SchemaChangeEvent plus(SchemaChangeEvent sighting) {
        if (!change.equals(sighting.change())) {
            throw new IllegalArgumentException("not the same change: " + change.describe() + " and " + sighting.change().describe());
        }
        SchemaChangeEvent first = sighting.firstSeenMillis() < firstSeenMillis ? sighting : this;
        return new SchemaChangeEvent(change, first.firstSeenMillis(), first.exampleTopic(), first.examplePartition(), first.exampleOffset(),
                count + sighting.count(), first.action());
    }
}
