package dev.tributary.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lake directory a local run leaves behind: an Iceberg JDBC catalog on SQLite
 * ({@code catalog.db}, durable across runs), the warehouse of data and metadata files, and
 * the Flink checkpoints. Query it afterwards with {@code ./tributary query --lake-dir DIR}.
 */
public record LocalLake(Path directory) {
    public LocalLake {
        requireNonNull(directory, "directory is null");
        directory = directory.toAbsolutePath().normalize();
    }

    public static LocalLake create(Path directory) throws IOException {
        LocalLake lake = new LocalLake(directory);
        Files.createDirectories(lake.warehouse());
        Files.createDirectories(lake.checkpoints());
        return lake;
    }

    public Path warehouse() {
        return directory.resolve("warehouse");
    }

    public Path catalogDatabase() {
        return directory.resolve("catalog.db");
    }

    public Path checkpoints() {
        return directory.resolve("checkpoints");
    }

    public boolean exists() {
        return Files.exists(catalogDatabase());
    }

    /** Values for the keys a local stack fills in itself, to validate user settings before it starts. */
    public static Map<String, String> placeholderConfiguration() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kafka.bootstrap-servers", "localhost:9092");
        values.put("catalog.type", "jdbc");
        values.put("catalog.uri", "jdbc:sqlite::memory:");
        values.put("catalog.warehouse", "file:///tmp/warehouse");
        return values;
    }

    /** This lake's catalog and table settings, as a pipeline reads them. */
    public dev.tributary.config.LakeConfig lakeConfig(String namespace) {
        Map<String, String> values = new LinkedHashMap<>(placeholderConfiguration());
        values.putAll(configuration());
        values.put("lake.namespace", namespace);
        return dev.tributary.config.PipelineConfig.from(values).lake();
    }

    /** The pipeline configuration keys that point a job at this lake. */
    public Map<String, String> configuration() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("catalog.type", "jdbc");
        values.put("catalog.uri", "jdbc:sqlite:" + catalogDatabase());
        values.put("catalog.warehouse", warehouse().toUri().toString());
        return values;
    }
}
