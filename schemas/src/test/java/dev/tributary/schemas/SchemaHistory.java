package dev.tributary.schemas;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.alerts.Alert;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.schemas.telemetry.TelemetryReading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The recorded versions of the top-level schemas, kept in {@code schemas/history/<full.Name>/v<N>.avsc}
 * as the fully resolved schema JSON ({@link Schema#toString(boolean)}). Running {@link #main}
 * from {@code schemas/} records the current schema of every top-level record whose newest
 * version differs from it, as the next version.
 */
public final class SchemaHistory {
    /** The records whose data outlives a deployment: in topics and in the lake. */
    public static final List<Schema> TOP_LEVEL = List.of(
            TelemetryReading.getClassSchema(),
            EnrichedTelemetry.getClassSchema(),
            Alert.getClassSchema());

    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");

    private final Path root;

    public SchemaHistory(Path root) {
        this.root = requireNonNull(root, "root is null");
    }

    /** The history directory as seen from a test, whose working directory is the {@code schemas} module. */
    public static SchemaHistory ofModule() {
        if (Files.isDirectory(Path.of("src", "main", "avro"))) {
            return new SchemaHistory(Path.of("history"));
        }
        // Run from the repository root, e.g. by an IDE.
        return new SchemaHistory(Path.of("schemas", "history"));
    }

    public Path root() {
        return root;
    }

    public Path directoryOf(Schema schema) {
        return root.resolve(schema.getFullName());
    }

    /** The recorded versions of one schema, oldest first. */
    public List<Version> versions(Schema schema) {
        Path directory = directoryOf(schema);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Version> versions = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher matcher = VERSION_FILE.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    Schema parsed = new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
                    versions.add(new Version(Integer.parseInt(matcher.group(1)), file, parsed));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        versions.sort(Comparator.comparingInt(Version::number));
        return List.copyOf(versions);
    }

    /** Where the next version of a schema goes. */
    public Path nextVersionFile(Schema schema) {
        List<Version> versions = versions(schema);
        int next = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).number() + 1;
        return directoryOf(schema).resolve("v" + next + ".avsc");
    }

    /** One recorded version. */
    public record Version(int number, Path file, Schema schema) {
        public Version {
            requireNonNull(file, "file is null");
            requireNonNull(schema, "schema is null");
        }
    }

    /** Records every top-level schema that changed since its newest version. Run from {@code schemas/}. */
    public static void main(String[] args) throws IOException {
        SchemaHistory history = ofModule();
        for (Schema schema : TOP_LEVEL) {
            List<Version> versions = history.versions(schema);
            if (!versions.isEmpty() && SchemaCompatibilityTest.sameSchema(versions.get(versions.size() - 1).schema(), schema)) {
                System.out.println(schema.getFullName() + ": unchanged");
                continue;
            }
            Path file = history.nextVersionFile(schema);
            Files.createDirectories(file.getParent());
            Files.writeString(file, schema.toString(true) + "\n", StandardCharsets.UTF_8);
            System.out.println(schema.getFullName() + ": recorded " + file);
        }
    }
}
