package dev.tributary.mirror;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.config.MirrorConfig;
import dev.tributary.config.MirrorConfig.IncompatibleChangePolicy;
import dev.tributary.deadletter.DeadLetter;
import dev.tributary.schema.IcebergSchemaDiff;
import dev.tributary.schema.SchemaChange;
import dev.tributary.schema.SchemaChangeEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Stage 1 of the lake mirror: Debezium change events to rows of their Iceberg table. Each new
 * row shape of a table is compared with the table's schema ({@link IcebergSchemaDiff}): added
 * and widened columns go ahead (the sink evolves the table); other changes are handled by the
 * configured {@link IncompatibleChangePolicy}. Every change is reported by the
 * {@link #SCHEMA_CHANGES} side output; unusable events leave by {@link #DEAD_LETTERS}.
 */
public final class ChangeToRow extends ProcessFunction<CdcRecord, MirrorRow> {
    public static final String STAGE = "mirror";
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("mirror-dead-letters", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<SchemaChangeEvent> SCHEMA_CHANGES = new OutputTag<>("mirror-schema-changes", TypeInformation.of(SchemaChangeEvent.class));
    /** The Iceberg tables that received rows, each at most once per half maintenance interval: what maintenance schedules on. */
    public static final OutputTag<String> TABLES_WRITTEN = new OutputTag<>("mirror-tables-written", TypeInformation.of(String.class));

    private final MirrorConfig config;
    private final CatalogLoader catalogLoader;

    private transient Catalog catalog;
    private transient Map<String, TableShapes> tables;

    public ChangeToRow(MirrorConfig config, CatalogLoader catalogLoader) {
        this.config = requireNonNull(config, "config is null");
        this.catalogLoader = requireNonNull(catalogLoader, "catalogLoader is null");
    }

    @Override
    public void open(OpenContext context) {
        catalog = catalogLoader.loadCatalog();
        tables = new HashMap<>();
    }

    @Override
    public void processElement(CdcRecord record, Context context, Collector<MirrorRow> out) {
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
        Shape shape = table.shape(change, record, context);
        if (shape.deadLetterReason != null) {
            deadLetter(record, shape.deadLetterReason, context);
            return;
        }
        GenericRowData row;
        try {
            row = shape.type.toRow(change.row());
        } catch (RuntimeException e) {
            deadLetter(record, "cannot read the row of " + change.database() + "." + change.table() + ": " + e, context);
            return;
        }
        row.setRowKind(change.kind());
        out.collect(new MirrorRow(table.identifier, shape.type.schema(), change.keyColumns(), row));
        long now = context.timerService().currentProcessingTime();
        if (now - table.lastAnnounced >= config.maintenanceInterval().toMillis() / 2) {
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

    /** A row shape of one table and what to do with its rows. */
    private static final class Shape {
        final ConnectRowType type;
        final String deadLetterReason;

        Shape(ConnectRowType type, String deadLetterReason) {
            this.type = type;
            this.deadLetterReason = deadLetterReason;
        }
    }

    /** The shapes seen for one table, and the table's schema as far as this subtask knows it. */
    private final class TableShapes {
        final TableIdentifier identifier;
        final Map<JsonNode, Shape> shapes = new HashMap<>();
        Schema lakeSchema;
        boolean loaded;
        long lastAnnounced = Long.MIN_VALUE / 2;

        TableShapes(TableIdentifier identifier) {
            this.identifier = identifier;
        }

        Shape shape(DecodedChange change, CdcRecord record, Context context) {
            Shape known = shapes.get(change.rowSchema());
            if (known != null) {
                return known;
            }
            if (!loaded) {
                try {
                    lakeSchema = catalog.loadTable(identifier).schema();
                } catch (NoSuchTableException e) {
                    lakeSchema = null;
                }
                loaded = true;
            }
            ConnectRowType type = ConnectRowType.of(change.rowSchema(), change.keyColumns());
            Shape shape = decide(type, record, context);
            shapes.put(change.rowSchema(), shape);
            return shape;
        }

        private Shape decide(ConnectRowType type, CdcRecord record, Context context) {
            if (lakeSchema == null) {
                lakeSchema = type.schema();
                return new Shape(type, null);
            }
            String subject = identifier.toString();
            List<SchemaChange> changes = IcebergSchemaDiff.compare(subject, lakeSchema, type.schema());
            boolean incompatible = changes.stream().anyMatch(change -> !change.kind().evolvable());
            boolean typeChanged = changes.stream().anyMatch(change -> change.kind() == SchemaChange.Kind.TYPE_CHANGED);
            IncompatibleChangePolicy policy = config.onIncompatibleChange();
            String action;
            String reason = null;
            if (!incompatible) {
                action = "evolved";
            } else if (policy == IncompatibleChangePolicy.FAIL) {
                action = "failed";
            } else if (policy == IncompatibleChangePolicy.DEAD_LETTER || typeChanged) {
                action = "dead-lettered";
                reason = "the table's shape changed in a way " + subject + " cannot follow: "
                        + changes.stream().filter(change -> !change.kind().evolvable()).map(SchemaChange::describe).toList();
            } else {
                action = "continued";
            }
            for (SchemaChange change : changes) {
                context.output(SCHEMA_CHANGES, new SchemaChangeEvent(change, System.currentTimeMillis(), record.topic(),
                        record.partition(), record.offset(), 1, change.kind().evolvable() ? "evolved" : action));
            }
            if (action.equals("failed")) {
                throw new IllegalStateException("mirror.on-incompatible-change=fail: " + changes.stream()
                        .filter(change -> !change.kind().evolvable()).map(SchemaChange::describe).toList());
            }
            if (reason == null) {
                lakeSchema = IcebergSchemaDiff.evolve(lakeSchema, type.schema());
            }
            return new Shape(type, reason);
        }
    }
}
