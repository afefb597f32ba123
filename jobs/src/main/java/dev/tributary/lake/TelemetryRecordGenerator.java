package dev.tributary.lake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecord;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecordGenerator;

/**
 * Enriched readings as the Dynamic Iceberg Sink's records: one for the main telemetry table and
 * one per element of each pivoted array, each in its table's current schema (so the sink never
 * converts rows). When a reading carries a field the schemas it holds lack (added by drift
 * checking, upstream, since), it reloads the tables first.
 */
public final class TelemetryRecordGenerator implements DynamicRecordGenerator<EnrichedTelemetry> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TelemetryLakeLayout layout;
    private final CatalogLoader catalogLoader;
    private final int writeParallelism;
    private transient Catalog catalog;
    private transient Target main;
    private transient Map<String, Target> children;
    private transient TelemetryRows rows;
    private transient org.apache.iceberg.types.Types.StructType logical;

    public TelemetryRecordGenerator(TelemetryLakeLayout layout, CatalogLoader catalogLoader, int writeParallelism) {
        this.layout = requireNonNull(layout, "layout is null");
        this.catalogLoader = requireNonNull(catalogLoader, "catalogLoader is null");
        this.writeParallelism = writeParallelism;
    }

    private record Target(TableIdentifier identifier, Schema schema, PartitionSpec spec) {
        static Target of(TableIdentifier identifier, Table table) {
            return new Target(identifier, table.schema(), table.spec());
        }
    }

    @Override
    public void open(OpenContext openContext) {
        catalog = catalogLoader.loadCatalog();
        reload();
    }

    @Override
    public void generate(EnrichedTelemetry reading, Collector<DynamicRecord> out) throws Exception {
        JsonNode extensions = null;
        if (reading.getExtensions() != null) {
            extensions = JSON.readTree(reading.getExtensions());
            // Drift checking upstream took conflicting values out, so checking here changes nothing: it only finds fields added since the last load.
            if (extensions instanceof ObjectNode object && !ExtensionFields.check(logical, object).newFields().isEmpty()) {
                reload();
            }
        }
        out.collect(record(main, rows.mainRow(reading, extensions)));
        for (Map.Entry<String, Target> child : children.entrySet()) {
            for (RowData row : rows.childRows(child.getKey(), reading, extensions)) {
                out.collect(record(child.getValue(), row));
            }
        }
    }

    private DynamicRecord record(Target target, RowData row) {
        return new DynamicRecord(target.identifier(), "main", target.schema(), row, target.spec(), DistributionMode.NONE, writeParallelism);
    }

    private void reload() {
        TelemetryLakeLayout.Tables tables = layout.load(catalog);
        main = Target.of(layout.mainTable(), tables.main());
        children = new LinkedHashMap<>();
        Map<String, Schema> childSchemas = new LinkedHashMap<>();
        tables.children().forEach((path, table) -> {
            children.put(path, Target.of(layout.childTable(path), table));
            childSchemas.put(path, table.schema());
        });
        rows = new TelemetryRows(main.schema(), childSchemas);
        logical = layout.logical(tables);
    }
}
