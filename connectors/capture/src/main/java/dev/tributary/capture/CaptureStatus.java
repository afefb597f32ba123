package dev.tributary.capture;

import java.util.Map;

/**
 * What the capture service is doing, for people and for the progress line: its phase, how many
 * changes it has written, and how far behind the database it is.
 *
 * @param changesWritten change events acknowledged by Kafka (tombstones and heartbeats not counted)
 * @param changesPerTable the same, per {@code database.table}
 * @param lagMillis milliseconds between the newest streamed change's commit in the database and
 *     its acknowledgement by Kafka; -1 before the first streamed change
 * @param firstChangeMillis when the first change was acknowledged; -1 before it
 * @param failure why the engine stopped, when {@code phase} is {@link Phase#FAILED}
 */
public record CaptureStatus(
        Phase phase,
        long changesWritten,
        Map<String, Long> changesPerTable,
        long heartbeats,
        long lagMillis,
        long firstChangeMillis,
        long lastChangeMillis,
        String failure) {

    public enum Phase { STARTING, SNAPSHOT, STREAMING, STOPPED, FAILED }

    public CaptureStatus {
        changesPerTable = Map.copyOf(changesPerTable);
    }

    public boolean healthy() {
        return phase != Phase.FAILED;
    }
}
