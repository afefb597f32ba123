package dev.tributary.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What the lake-mirror job mirrors and how it treats schema changes and table upkeep.
 *
 * @param tables the mirrored source tables as {@code <database>.<table>}; empty mirrors every
 *     table whose change topic matches {@code topic.cdc-pattern}
 * @param namespace the Iceberg namespace of the mirrored tables
 * @param onIncompatibleChange what happens to rows whose table changed in a way Iceberg cannot follow
 * @param maintenanceInterval how often tables are compacted and old snapshots expired; zero turns it off
 * @param maintenanceMinFiles compaction starts when a table has more live data and delete files than this
 * @param snapshotRetention snapshots older than this are expired (the newest few are always kept)
 * @param cdcMetadata whether each mirrored row carries the {@code _cdc} column: its operation, the
 *     database commit time, when it was captured and where it was read from Kafka
 */
public record MirrorConfig(
        List<String> tables,
        String namespace,
        TableNaming tableNaming,
        IncompatibleChangePolicy onIncompatibleChange,
        String deadLetterTopic,
        String schemaChangeTopic,
        Duration maintenanceInterval,
        int maintenanceMinFiles,
        Duration snapshotRetention,
        boolean cdcMetadata) implements java.io.Serializable {

    /** How an Iceberg table is named after its source table. */
    public enum TableNaming { TABLE, DATABASE_TABLE }

    /**
     * For a change Iceberg cannot follow (a column dropped or renamed, a type narrowed or changed):
     * {@code continue} writes what still fits (nulls for a missing column, narrowed values into the
     * wider column) and dead-letters only rows whose values cannot be stored; {@code dead-letter}
     * dead-letters every row of the changed shape; {@code fail} stops the job. The change is
     * published as a schema-change event in every case.
     */
    public enum IncompatibleChangePolicy { CONTINUE, DEAD_LETTER, FAIL }

    public MirrorConfig {
        tables = List.copyOf(tables);
        requireNonNull(namespace, "namespace is null");
        requireNonNull(tableNaming, "tableNaming is null");
        requireNonNull(onIncompatibleChange, "onIncompatibleChange is null");
        requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        requireNonNull(schemaChangeTopic, "schemaChangeTopic is null");
        requireNonNull(maintenanceInterval, "maintenanceInterval is null");
        requireNonNull(snapshotRetention, "snapshotRetention is null");
    }

    public boolean mirrors(String database, String table) {
        return tables.isEmpty() || tables.contains(database + "." + table);
    }

    public String tableName(String database, String table) {
        String name = tableNaming == TableNaming.TABLE ? table : database + "_" + table;
        return name.toLowerCase(Locale.ROOT);
    }
}
