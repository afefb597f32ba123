package dev.tributary.lake;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.LakeConfig;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * How enriched readings land in the lake: which tables, which columns.
 *
 * <p>A reading is nested JSON, five levels deep and more. Its records stay <em>nested Iceberg
 * structs</em>: a value's column is its path ({@code doors.front_left.open}), so names are stable
 * and cannot collide, Trino and Athena read {@code doors.front_left.open} as they would a flat
 * column, and Iceberg adds fields inside a struct as it adds top-level columns. Arrays of records
 * (the diagnostics) either stay list columns ({@code lake.arrays=list}) or are pivoted into child
 * tables ({@code child-table}): {@code <telemetry-table>_<path with _ for .>}, one row per element,
 * with the reading's {@code event_id}, {@code device_id}, {@code vehicle_id} and {@code event_time}
 * (the partition), the element's {@code ordinal}, and the element's fields. Pivoted are arrays of
 * records that are not inside another array; those inside stay lists in their child table.
 *
 * <p>The <em>logical</em> shape of a reading ({@link #logical}) is the main table's struct with
 * the pivoted arrays put back as lists: drift is checked and columns are added against it, and
 * {@link #addFields} decides in which table a new field lands. Which arrays are pivoted is
 * recorded in the main table's property {@value #CHILD_TABLES_PROPERTY}.
 */
public final class TelemetryLakeLayout implements Serializable {
    public static final String CHILD_TABLES_PROPERTY = "tributary.child-tables";
    /** The columns a child row carries from its reading, then the element's ordinal. */
    public static final List<String> CHILD_KEY_COLUMNS = List.of("event_id", "device_id", "vehicle_id", "event_time", "ordinal");
    /** Avro fields that are not columns. */
    private static final String EXTENSIONS_FIELD = "extensions";

    private final LakeConfig lake;

    public TelemetryLakeLayout(LakeConfig lake) {
        this.lake = requireNonNull(lake, "lake is null");
    }

    public LakeConfig lake() {
        return lake;
    }

    public boolean pivotsArrays() {
        return lake.arrays() == LakeConfig.ArrayLayout.CHILD_TABLE;
    }

    public TableIdentifier mainTable() {
        return TableIdentifier.of(Namespace.of(lake.namespace()), lake.telemetryTable());
    }

    /** The child table of the array at {@code path} (field names joined by {@code .}). */
    public TableIdentifier childTable(String path) {
        return TableIdentifier.of(Namespace.of(lake.namespace()), lake.telemetryTable() + "_" + path.replace('.', '_'));
    }

    /** The registered shape of a reading, as Iceberg types: the enriched Avro schema without its non-column fields. */
    public static Types.StructType registered() {
        Schema all = IcebergSchemas.fromAvro(EnrichedTelemetry.getClassSchema());
        return Types.StructType.of(all.columns().stream().filter(field -> !field.name().equals(EXTENSIONS_FIELD)).toList());
    }

    /** The paths of the arrays of records in {@code struct} that are pivoted (not inside another array), in order. */
    public List<String> pivotedPaths(Types.StructType struct) {
        List<String> paths = new ArrayList<>();
        if (pivotsArrays()) {
            collectPivoted(struct, "", paths);
        }
        return paths;
    }

    private static void collectPivoted(Types.StructType struct, String prefix, List<String> out) {
        for (Types.NestedField field : struct.fields()) {
            String path = prefix.isEmpty() ? field.name() : prefix + "." + field.name();
            if (field.type().isListType() && field.type().asListType().elementType().isStructType()) {
                out.add(path);
            } else if (field.type().isStructType()) {
                collectPivoted(field.type().asStructType(), path, out);
            }
        }
    }

    /** The main table's schema for a logical shape: the shape without its pivoted arrays. */
    public Schema mainSchema(Types.StructType logical) {
        Types.StructType main = logical;
        for (String path : pivotedPaths(logical)) {
            main = without(main, path.split("\\."), 0);
        }
        return new Schema(main.fields());
    }

    /** A child table's schema: the reading's keys, the ordinal, then the element's fields. */
    public static Schema childSchema(Types.StructType element) {
        List<Types.NestedField> fields = new ArrayList<>();
        int id = 1;
        fields.add(Types.NestedField.required(id++, "event_id", Types.StringType.get()));
        fields.add(Types.NestedField.required(id++, "device_id", Types.StringType.get()));
        fields.add(Types.NestedField.optional(id++, "vehicle_id", Types.StringType.get()));
        fields.add(Types.NestedField.required(id++, "event_time", Types.TimestampType.withZone()));
        fields.add(Types.NestedField.required(id++, "ordinal", Types.IntegerType.get(), "the element's index in its array"));
        fields.addAll(element.fields());
        // Fresh ids: the element's own would clash with the keys'.
        java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger(0);
        Type fresh = org.apache.iceberg.types.TypeUtil.assignFreshIds(Types.StructType.of(fields), ids::incrementAndGet);
        return new Schema(fresh.asStructType().fields());
    }

    /** The element struct of a child table (its columns after the keys). */
    public static Types.StructType elementOf(Schema child) {
        return Types.StructType.of(child.columns().subList(CHILD_KEY_COLUMNS.size(), child.columns().size()));
    }

    /**
     * Creates the main table and the child tables of the registered shape if they are missing, and
     * adds the registered columns an existing table lacks (a field added to the Avro schema since).
     */
    public void ensureTables(Catalog catalog) {
        Types.StructType registered = registered();
        List<String> pivoted = pivotedPaths(registered);
        Schema main = mainSchema(registered);
        Table table = LakeTables.createIfMissing(catalog, lake, mainTable(), main, PartitionSpec.builderFor(main).day("event_time").build(),
                Map.of(CHILD_TABLES_PROPERTY, String.join(",", pivoted)));
        List<String> recorded = pivotedPathsOfTable(table);
        if (pivotsArrays() ? !recorded.containsAll(pivoted) : !recorded.isEmpty()) {
            throw new IllegalStateException("table " + mainTable() + " was created with lake.arrays=" + (pivotsArrays() ? "list" : "child-table")
                    + "; a table's layout does not change in place: set another lake.telemetry-table for lake.arrays="
                    + (pivotsArrays() ? "child-table" : "list"));
        }
        addMissingColumns(table, main);
        for (String path : pivoted) {
            Types.StructType element = element(registered, path);
            createChild(catalog, path, element);
            addMissingColumns(catalog.loadTable(childTable(path)), childSchema(element));
        }
    }

    private static void addMissingColumns(Table table, Schema wanted) {
        MetadataCommits.unionByName(table, wanted);
    }

    void createChild(Catalog catalog, String path, Types.StructType element) {
        Schema child = childSchema(element);
        LakeTables.createIfMissing(catalog, lake, childTable(path), child, PartitionSpec.builderFor(child).day("event_time").build(), Map.of());
    }

    /** The tables' current schemas and specs, read from the catalog. */
    public Tables load(Catalog catalog) {
        Table main = catalog.loadTable(mainTable());
        Map<String, Table> children = new LinkedHashMap<>();
        for (String path : pivotedPathsOfTable(main)) {
            children.put(path, catalog.loadTable(childTable(path)));
        }
        return new Tables(main, children);
    }

    static List<String> pivotedPathsOfTable(Table main) {
        String recorded = main.properties().getOrDefault(CHILD_TABLES_PROPERTY, "");
        return recorded.isBlank() ? List.of() : List.of(recorded.split(","));
    }

    /** The main table and the child table of each pivoted path, as loaded. */
    public record Tables(Table main, Map<String, Table> children) {
        public Tables {
            requireNonNull(main, "main is null");
            children = Map.copyOf(children);
        }
    }

    /** The logical shape of a reading: the main table's columns with each pivoted array put back as a list of its element. */
    public Types.StructType logical(Tables tables) {
        Types.StructType logical = tables.main().schema().asStruct();
        for (Map.Entry<String, Table> child : tables.children().entrySet()) {
            Types.ListType list = Types.ListType.ofRequired(Integer.MAX_VALUE - 1, elementOf(child.getValue().schema()));
            logical = with(logical, child.getKey().split("\\."), 0, list);
        }
        return logical;
    }

    /** A field the logical shape lacks: where it goes ({@code parent} steps from the root, {@code "[]"} for a list's element), its name and type. */
    public record NewField(List<String> parent, String name, Type type) {
        public NewField {
            parent = List.copyOf(parent);
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }

        public String path() {
            return ExtensionFields.path(parent, name);
        }
    }

    /**
     * Adds fields to the tables they belong in (a field under a pivoted array goes to that array's
     * child table; a new array of records not inside another array becomes a child table when
     * arrays are pivoted). Concurrent writers may add the same field: Iceberg's commit makes one
     * win; the caller reloads and checks again.
     */
    public void addFields(Catalog catalog, Tables tables, List<NewField> fields) {
        Map<TableIdentifier, org.apache.iceberg.UpdateSchema> updates = new LinkedHashMap<>();
        List<String> newChildren = new ArrayList<>();
        for (NewField field : fields) {
            String pivot = pivotAbove(tables, field.parent());
            boolean newArrayOfRecords = pivotsArrays() && pivot == null && !field.parent().contains("[]")
                    && field.type().isListType() && field.type().asListType().elementType().isStructType();
            if (newArrayOfRecords) {
                String path = field.path();
                createChild(catalog, path, field.type().asListType().elementType().asStructType());
                newChildren.add(path);
                continue;
            }
            Table table = pivot == null ? tables.main() : tables.children().get(pivot);
            List<String> relative = pivot == null ? field.parent() : field.parent().subList(pivot.split("\\.").length + 1, field.parent().size());
            String parentName = relative.isEmpty() ? null : String.join(".", relative.stream().map(step -> step.equals("[]") ? "element" : step.equals("{}") ? "value" : step).toList());
            TableIdentifier identifier = pivot == null ? mainTable() : childTable(pivot);
            updates.computeIfAbsent(identifier, unused -> table.updateSchema()).addColumn(parentName, field.name(), field.type(),
                    "added by schema drift (" + field.path() + ")");
        }
        updates.values().forEach(org.apache.iceberg.UpdateSchema::commit);
        if (!newChildren.isEmpty()) {
            recordChildTables(tables.main(), newChildren);
        }
    }

    /**
     * Adds paths to the main table's list of child tables. The list is merged with the one the
     * table holds now, and checked after the commit: Iceberg re-applies a property update that
     * lost a race as it was planned, which would drop a path another writer added meanwhile, so a
     * writer that finds its own paths gone adds them again.
     */
    private static void recordChildTables(Table main, List<String> newChildren) {
        MetadataCommits.retrying("recording the child tables of " + main.name(), () -> {
            main.refresh();
            List<String> pivoted = new ArrayList<>(pivotedPathsOfTable(main));
            if (pivoted.containsAll(newChildren)) {
                return null;
            }
            newChildren.stream().filter(path -> !pivoted.contains(path)).forEach(pivoted::add);
            main.updateProperties().set(CHILD_TABLES_PROPERTY, String.join(",", pivoted)).commit();
            main.refresh();
            if (!pivotedPathsOfTable(main).containsAll(newChildren)) {
                throw new org.apache.iceberg.exceptions.CommitFailedException("another writer replaced %s of %s", CHILD_TABLES_PROPERTY, main.name());
            }
            return null;
        });
    }

    /** The pivoted array a field under {@code parent} sits in, or null for the main table. */
    private static String pivotAbove(Tables tables, List<String> parent) {
        for (String path : tables.children().keySet()) {
            List<String> steps = List.of(path.split("\\."));
            if (parent.size() > steps.size() && parent.subList(0, steps.size()).equals(steps) && parent.get(steps.size()).equals("[]")) {
                return path;
            }
        }
        return null;
    }

    private static Types.StructType element(Types.StructType struct, String path) {
        Type type = struct;
        for (String step : path.split("\\.")) {
            type = type.asStructType().field(step).type();
        }
        return type.asListType().elementType().asStructType();
    }

    private static Types.StructType without(Types.StructType struct, String[] steps, int depth) {
        List<Types.NestedField> fields = new ArrayList<>();
        for (Types.NestedField field : struct.fields()) {
            if (!field.name().equals(steps[depth])) {
                fields.add(field);
            } else if (depth < steps.length - 1) {
                fields.add(Types.NestedField.of(field.fieldId(), field.isOptional(), field.name(),
                        without(field.type().asStructType(), steps, depth + 1), field.doc()));
            }
        }
        return Types.StructType.of(fields);
    }

    private static Types.StructType with(Types.StructType struct, String[] steps, int depth, Type leaf) {
        List<Types.NestedField> fields = new ArrayList<>(struct.fields());
        for (int i = 0; i < fields.size(); i++) {
            Types.NestedField field = fields.get(i);
            if (field.name().equals(steps[depth]) && depth < steps.length - 1) {
                fields.set(i, Types.NestedField.of(field.fieldId(), field.isOptional(), field.name(),
                        with(field.type().asStructType(), steps, depth + 1, leaf), field.doc()));
                return Types.StructType.of(fields);
            }
        }
        fields.add(Types.NestedField.optional(Integer.MAX_VALUE - depth - 2, steps[depth], leaf));
        return Types.StructType.of(fields);
    }
}
