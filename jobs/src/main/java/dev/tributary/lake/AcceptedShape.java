package dev.tributary.lake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.types.Types;

/**
 * The shape a reading may have in the lake: its registered schema plus every field accepted since,
 * read from the lake's tables (they are the record of what was accepted). New fields are added to
 * the tables here, before the readings carrying them go on, so that by the time a reading reaches
 * the lake writer its columns exist. Parallel readers may race to add the same field, and any
 * other commit (a checkpoint's data) makes a schema update planned before it fail: Iceberg lets
 * one commit win, and the others wait a little, reload and check again, planning only what is
 * still missing (so a field that arrives with different types at once ends with the first
 * committed type, and the others' values conflict).
 *
 * <p>Not thread-safe: one per parsing subtask.
 */
public final class AcceptedShape {
    private static final int ATTEMPTS = MetadataCommits.ATTEMPTS;

    private final TelemetryLakeLayout layout;
    private final CatalogLoader catalogLoader;
    private Catalog catalog;
    private TelemetryLakeLayout.Tables tables;
    private Types.StructType logical;

    public AcceptedShape(TelemetryLakeLayout layout, CatalogLoader catalogLoader) {
        this.layout = requireNonNull(layout, "layout is null");
        this.catalogLoader = requireNonNull(catalogLoader, "catalogLoader is null");
    }

    /** What a reading's extensions became: the part the lake holds (null if nothing is left), and the values that conflict with accepted types. */
    public record Accepted(ObjectNode extensions, List<ExtensionFields.Conflict> conflicts, List<TelemetryLakeLayout.NewField> added) {
        public Accepted {
            conflicts = List.copyOf(conflicts);
            added = List.copyOf(added);
        }
    }

    /** Checks a reading's extension tree, adding the fields the lake does not have yet. */
    public Accepted accept(ObjectNode extensions) {
        requireNonNull(extensions, "extensions is null");
        if (tables == null) {
            reload();
        }
        List<TelemetryLakeLayout.NewField> added = List.of();
        RuntimeException lastRefusal = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            ObjectNode checked = extensions.deepCopy();
            ExtensionFields.Outcome outcome = ExtensionFields.check(logical, checked);
            if (outcome.newFields().isEmpty()) {
                return new Accepted(checked.isEmpty() ? null : checked, outcome.conflicts(), added);
            }
            try {
                layout.addFields(catalog, tables, outcome.newFields());
                added = outcome.newFields();
            } catch (CommitFailedException | CommitStateUnknownException | AlreadyExistsException | IllegalArgumentException e) {
                // Another subtask changed the table first (Iceberg refuses a column that exists with an
                // IllegalArgumentException): reload and check again; should it never settle, say why.
                lastRefusal = e;
                if (attempt < ATTEMPTS) {
                    MetadataCommits.pause(attempt);
                }
            }
            reload();
        }
        throw new IllegalStateException("could not add " + extensions + " to " + layout.mainTable() + " in " + ATTEMPTS + " attempts"
                + (lastRefusal == null ? "" : ": " + lastRefusal.getMessage()), lastRefusal);
    }

    /** The logical shape as last loaded. */
    public Types.StructType logical() {
        if (tables == null) {
            reload();
        }
        return logical;
    }

    private void reload() {
        if (catalog == null) {
            catalog = catalogLoader.loadCatalog();
        }
        tables = layout.load(catalog);
        logical = layout.logical(tables);
    }
}
