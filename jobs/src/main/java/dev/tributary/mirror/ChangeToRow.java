package dev.tributary.mirror;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.config.LakeConfig;
import dev.tributary.config.MirrorConfig;
import dev.tributary.config.MirrorConfig.IncompatibleChangePolicy;
import dev.tributary.deadletter.DeadLetter;
import dev.tributary.lake.LakeTables;
import dev.tributary.lake.MetadataCommits;
import dev.tributary.schema.IcebergSchemaDiff;
import dev.tributary.schema.SchemaChange;
import dev.tributary.schema.SchemaChangeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Stage 1 of the lake mirror, keyed by change topic (one source table): Debezium change events
 * to rows of their Iceberg table. Each new row shape is compared with the table's schema
 * ({@link IcebergSchemaDiff}): added and widened columns evolve it; other changes are handled
 * by the configured {@link IncompatibleChangePolicy}. Every change is reported by the
 * {@link #SCHEMA_CHANGES} side output; unusable events leave by {@link #DEAD_LETTERS}.
 *
 * <p>Rows always leave in the table's schema, and that schema changes only at a checkpoint
 * barrier: when a table must evolve after some of its rows already went out in the current
 * checkpoint, its changes are held (in state) until the next barrier has passed. The sink keeps
 * one writer per table schema, and two writers in one commit must never hold the same key: an
 * equality delete does not apply to a row inserted in the same commit by another writer.
 */
public final class ChangeToRow extends KeyedProcessFunction<String, CdcRecord, MirrorRow> implements CheckpointedFunction {
    public static final String STAGE = "mirror";
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("mirror-dead-letters", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<SchemaChangeEvent> SCHEMA_CHANGES = new OutputTag<>("mirror-schema-changes", TypeInformation.of(SchemaChangeEvent.class));
    /** The Iceberg tables that received rows, each at most once per half maintenance interval: what maintenance schedules on. */
    public static final OutputTag<String> TABLES_WRITTEN = new OutputTag<>("mirror-tables-written", TypeInformation.of(String.class));
    private static final long HOLD_CHECK_MILLIS = 50;

    private final MirrorConfig config;
    private final LakeConfig lake;
    private final CatalogLoader catalogLoader;

    private transient Catalog catalog;
    private transient Map<String, TableShapes> tables;
    /** Id of the last checkpoint whose barrier passed this subtask: the current epoch. */
    private transient long epoch;
    private transient ListState<CdcRecord> held;
    private transient ValueState<Long> heldSinceEpoch;
    private transient ValueState<Long> lastEmitEpoch;

    public ChangeToRow(MirrorConfig config, LakeConfig lake, CatalogLoader catalogLoader) {
        this.config = requireNonNull(config, "config is null");
        this.lake = requireNonNull(lake, "lake is null");
        this.catalogLoader = requireNonNull(catalogLoader, "catalogLoader is null");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        epoch = context.getRestoredCheckpointId().orElse(0L);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        epoch = context.getCheckpointId();
    }

    @Override
    public void open(OpenContext context) {
        catalog = catalogLoader.loadCatalog();
        tables = new HashMap<>();
        held = getRuntimeContext().getListState(new ListStateDescriptor<>("held-changes", TypeInformation.of(CdcRecord.class)));
        heldSinceEpoch = getRuntimeContext().getState(new ValueStateDescriptor<>("held-since-epoch", Types.LONG));
        lastEmitEpoch = getRuntimeContext().getState(new ValueStateDescriptor<>("last-emit-epoch", Types.LONG));
    }

    @Override
    public void processElement(CdcRecord record, Context context, Collector<MirrorRow> out) throws Exception {
        if (heldSinceEpoch.value() != null) {
            held.add(record);
            return;
        }
        handle(record, context, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<MirrorRow> out) throws Exception {
        Long since = heldSinceEpoch.value();
        if (since == null) {
            return;
        }
        if (epoch <= since) {
            context.timerService().registerProcessingTimeTimer(timestamp + HOLD_CHECK_MILLIS);
            return;
        }
        // A barrier has passed: the held changes start the new epoch, in the evolved schema.
        List<CdcRecord> waiting = new ArrayList<>();
        held.get().forEach(waiting::add);
        held.clear();
        heldSinceEpoch.clear();
        for (int i = 0; i < waiting.size(); i++) {
            if (heldSinceEpoch.value() != null) {
                held.addAll(waiting.subList(i, waiting.size()));
                return;
            }
            handle(waiting.get(i), context, out);
        }
    }

    private void handle(CdcRecord record, Context context, Collector<MirrorRow> out) throws Exception {
        DecodedChange change;
        try {
            change = ChangeDecoder.decode(record.key(), record.value());
        } catch (ChangeDecoder.UnusableChangeException e) {
            deadLetter(record, e.getMessage(), context);
            return;
        }
        if (change == null) {
            return;
        }
        if (!config.mirrors(change.database(), change.table())) {
            deadLetter(record, "table " + change.database() + "." + change.table() + " is not mirrored (mirror.tables = "
                    + String.join(",", config.tables()) + ")", context);
            return;
        }
        TableShapes table = tables.computeIfAbsent(change.database() + "." + change.table(),
                name -> new TableShapes(TableIdentifier.of(config.namespace(), config.tableName(change.database(), change.table()))));
        if (table.pending != null) {
            // The first change after the barrier the table waited for: its rows leave in the evolved schema from now on.
            table.evolveTo(table.pending);
            table.pending = null;
        }
        Shape shape = table.shape(change, record, context);
        if (shape.deadLetterReason != null) {
            deadLetter(record, shape.deadLetterReason, context);
            return;
        }
        if (shape.evolved != null) {
            Long emitted = lastEmitEpoch.value();
            if (emitted != null && emitted == epoch) {
                // Rows of this table already left in this checkpoint with the old schema: wait for the barrier.
                table.pending = shape.evolved;
                heldSinceEpoch.update(epoch);
                held.add(record);
                context.timerService().registerProcessingTimeTimer(context.timerService().currentProcessingTime() + HOLD_CHECK_MILLIS);
                shape.evolved = null;
                return;
            }
            table.evolveTo(shape.evolved);
            shape.evolved = null;
        }
        GenericRowData row;
        try {
            // The source's columns, then _cdc when the mirror adds it (the shape's schema says which).
            row = shape.type.toRow(change.row(), config.cdcMetadata() ? 1 : 0);
        } catch (RuntimeException e) {
            deadLetter(record, "cannot read the row of " + change.database() + "." + change.table() + ": " + e, context);
            return;
        }
        if (config.cdcMetadata()) {
            row.setField(row.getArity() - 1, CdcMetadata.of(change, record));
        }
        row.setRowKind(change.kind());
        RowProjection projection = shape.projectionTo(table.lakeSchema);
        out.collect(new MirrorRow(table.identifier, projection.target(), change.keyColumns(), projection.project(row)));
        lastEmitEpoch.update(epoch);
        long interval = config.maintenanceInterval().toMillis();
        long now = context.timerService().currentProcessingTime();
        if (interval > 0 && now - table.lastAnnounced >= interval / 2) {
            table.lastAnnounced = now;
            context.output(TABLES_WRITTEN, table.identifier.toString());
        }
    }

    private void deadLetter(CdcRecord record, String reason, Context context) {
        context.output(DEAD_LETTERS, new DeadLetter(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value(), reason, STAGE));
    }

    @Override
    public void close() throws Exception {
        if (catalog instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** A row shape of one table: how to read it and what to do with its rows. */
    private static final class Shape {
        final ConnectRowType type;
        /** The columns rows of this shape fill: the source's, then {@code _cdc} when the mirror adds it. */
        final Schema schema;
        final String deadLetterReason;
        /** The table schema this shape needs, until the table has it. */
        Schema evolved;
        private RowProjection projection;

        Shape(ConnectRowType type, Schema schema, String deadLetterReason, Schema evolved) {
            this.type = type;
            this.schema = schema;
            this.deadLetterReason = deadLetterReason;
            this.evolved = evolved;
        }

        RowProjection projectionTo(Schema target) {
            if (projection == null || projection.target() != target) {
                projection = new RowProjection(schema, target);
            }
            return projection;
        }
    }

    /** The shapes seen for one table, and the table's schema as rows leave in it. */
    private final class TableShapes {
        final TableIdentifier identifier;
        final Map<JsonNode, Shape> shapes = new HashMap<>();
        Schema lakeSchema;
        Schema pending;
        long lastAnnounced = Long.MIN_VALUE / 2;

        TableShapes(TableIdentifier identifier) {
            this.identifier = identifier;
        }

        /**
         * Evolves the table to hold {@code wanted} before rows leave in it, and makes the table's
         * schema after (which may hold another writer's columns too) the one rows leave in. The
         * sink then finds every row's schema in the table and commits no schema change of its
         * own: a schema commit that loses a race to a data commit, a compaction or another
         * writer is planned again here ({@link MetadataCommits}), where the sink would fail.
         */
        void evolveTo(Schema wanted) {
            lakeSchema = MetadataCommits.unionByName(catalog.loadTable(identifier), wanted);
        }

        Shape shape(DecodedChange change, CdcRecord record, Context context) {
            Shape known = shapes.get(change.rowSchema());
            if (known != null) {
                return known;
            }
            ConnectRowType type = ConnectRowType.of(change.rowSchema(), change.keyColumns());
            if (config.cdcMetadata() && type.schema().findField(CdcMetadata.COLUMN) != null) {
                Shape refused = new Shape(type, type.schema(), "table " + change.database() + "." + change.table() + " has a column named "
                        + CdcMetadata.COLUMN + ", the name of the mirror's change metadata: rename the column or set mirror.cdc-metadata=false", null);
                shapes.put(change.rowSchema(), refused);
                return refused;
            }
            Schema schema = config.cdcMetadata() ? CdcMetadata.appendTo(type.schema()) : type.schema();
            if (lakeSchema == null) {
                Table loaded;
                try {
                    loaded = catalog.loadTable(identifier);
                } catch (NoSuchTableException e) {
                    // The first shape creates the table, with the lake's properties (format v2, ORC);
                    // if another writer won the race, its table is the one to compare with.
                    loaded = LakeTables.createIfMissing(catalog, lake, identifier, schema, PartitionSpec.unpartitioned(),
                            Map.of(TableProperties.UPSERT_ENABLED, "true"));
                }
                // The sink would create the branch on the first row, and fail should an evolution commit first.
                MetadataCommits.ensureMainBranch(loaded);
                lakeSchema = loaded.schema();
            }
            Shape shape = decide(type, schema, record, context);
            shapes.put(change.rowSchema(), shape);
            return shape;
        }

        private Shape decide(ConnectRowType type, Schema schema, CdcRecord record, Context context) {
            String subject = identifier.toString();
            List<SchemaChange> changes = IcebergSchemaDiff.compare(subject, lakeSchema, schema);
            boolean incompatible = changes.stream().anyMatch(change -> !change.kind().evolvable());
            boolean typeChanged = changes.stream().anyMatch(change -> change.kind() == SchemaChange.Kind.TYPE_CHANGED);
            boolean evolves = changes.stream().anyMatch(change -> change.kind().evolvable());
            IncompatibleChangePolicy policy = config.onIncompatibleChange();
            String action;
            String reason = null;
            if (!incompatible) {
                action = "evolved";
            } else if (policy == IncompatibleChangePolicy.FAIL) {
                action = "failed";
            } else if (policy == IncompatibleChangePolicy.DEAD_LETTER || typeChanged) {
                action = "dead-lettered";
                reason = "the shape of " + subject + " changed in a way its Iceberg table cannot follow: "
                        + changes.stream().filter(change -> !change.kind().evolvable()).map(SchemaChange::describe).toList();
            } else {
                action = "continued";
            }
            for (SchemaChange change : changes) {
                context.output(SCHEMA_CHANGES, new SchemaChangeEvent(change, System.currentTimeMillis(), record.topic(),
                        record.partition(), record.offset(), 1, change.kind().evolvable() && reason == null ? "evolved" : action));
            }
            if (action.equals("failed")) {
                throw new IllegalStateException("mirror.on-incompatible-change=fail: " + changes.stream()
                        .filter(change -> !change.kind().evolvable()).map(SchemaChange::describe).toList());
            }
            return new Shape(type, schema, reason, reason == null && evolves ? IcebergSchemaDiff.evolve(lakeSchema, schema) : null);
        }
    }
}
