package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.local.DemoRunner;
import dev.tributary.local.DemoSummary;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalRestCatalog;
import dev.tributary.local.LocalStack;
import dev.tributary.local.LocalTrino;
import dev.tributary.local.TrinoInstallation;
import dev.tributary.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SQL cell of every notebook in {@code notebooks/} (the {@code %%sql} cells) runs against the
 * real Trino 476 on the demo's data: the demo (PostgreSQL, Debezium capture, the lake-mirror and
 * telemetry jobs, the simulator with schema drift and bad input, so alerts, quarantined values and
 * schema changes exist), writing through the local REST catalog. A cell that fails or returns no rows fails the
 * test; a few answers are checked against what the simulator sent.
 */
class NotebookTrinoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path lakeDirectory;

    @Test
    void everyNotebookSqlCellAnswersOnTheDemosData() throws Exception {
        java.io.PrintWriter progress = new java.io.PrintWriter(System.out, true);
        try (LocalRestCatalog catalog = LocalRestCatalog.start(lakeDirectory, 0, lakeDirectory.resolve("local/rest-catalog.log"));
             LocalTrino trino = LocalTrino.start(TrinoInstallation.prepare(progress), lakeDirectory, 0, catalog.uri(), progress);
             LocalStack stack = LocalStack.start(lakeDirectory, 0, 3)) {
            Map<String, String> settings = new HashMap<>(catalog.configuration());
            settings.put("schema-changes.report-after", "1s");
            java.io.ByteArrayOutputStream demoOutput = new java.io.ByteArrayOutputStream();
            DemoSummary summary = new DemoRunner(stack, new java.io.PrintStream(demoOutput, true, java.nio.charset.StandardCharsets.UTF_8))
                    .run(SimulatorConfig.defaults(20, 6_000).withRate(0).withHeadlightsMinDuration(Duration.ofMinutes(1)).withSchemaDrift(),
                            settings, Duration.ofMinutes(4));
            assertThat(summary.telemetryRowsInLake()).isEqualTo(summary.eventsValid());
            Map<String, List<List<Object>>> answers = new LinkedHashMap<>();
            Properties properties = new Properties();
            properties.setProperty("user", "tributary");
            try (Connection connection = DriverManager.getConnection(trino.jdbcUrl("fleet"), properties);
                 Stream<Path> notebooks = Files.list(Path.of("..", "notebooks"))) {
                List<Path> files = notebooks.filter(path -> path.toString().endsWith(".ipynb")).sorted().toList();
                assertThat(files).hasSizeGreaterThanOrEqualTo(4);
                for (Path notebook : files) {
                    for (Map.Entry<String, String> cell : sqlCells(notebook).entrySet()) {
                        String name = notebook.getFileName() + "#" + cell.getKey();
                        List<List<Object>> rows = new ArrayList<>();
                        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(cell.getValue())) {
                            ResultSetMetaData columns = result.getMetaData();
                            while (result.next()) {
                                List<Object> row = new ArrayList<>();
                                for (int column = 1; column <= columns.getColumnCount(); column++) {
                                    row.add(result.getObject(column));
                                }
                                rows.add(row);
                            }
                        } catch (java.sql.SQLException e) {
                            throw new AssertionError(name + " failed on Trino: " + e.getMessage() + "\n" + cell.getValue(), e);
                        }
                        assertThat(rows).as("%s returns rows", name).isNotEmpty();
                        answers.put(name, rows);
                    }
                }
            }

            long readings = answers.get("fleet-health.ipynb#coverage").stream().mapToLong(row -> ((Number) row.get(1)).longValue()).sum();
            assertThat(readings).as("readings by enrichment status").isEqualTo(summary.eventsValid());
            long quarantined = 0;
            try (LakeInspector lake = new LakeInspector(stack.pipelineConfig(settings).lake());
                 org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.data.Record> records = org.apache.iceberg.data.IcebergGenerics
                         .read(lake.load(TableIdentifier.of("fleet", "telemetry"))).select("overflow").build()) {
                for (org.apache.iceberg.data.Record record : records) {
                    quarantined += record.getField("overflow") == null ? 0 : 1;
                }
            }
            assertThat(answers.get("schema-changes.ipynb#quarantined").get(0).get(0)).as("Trino and Iceberg's own reader agree").isEqualTo(quarantined);
            assertThat(quarantined).isPositive();
            assertThat(answers.get("schema-changes.ipynb#changes")).extracting(row -> row.get(3) + " " + row.get(4) + " " + row.get(8))
                    .contains("field_added engine.turbo evolved", "type_changed battery.temperature_c quarantined");
            assertThat(answers.get("cdc-freshness.ipynb#rows").get(0)).containsExactly(20L, 20L, 10L);
            Map<String, Long> mirroredRows = Map.of("devices", 20L, "reservations", 10L, "vehicles", 20L);
            assertThat(answers.get("cdc-freshness.ipynb#newest_change")).allSatisfy(row -> assertThat(((Number) row.get(2)).longValue()
                    + ((Number) row.get(3)).longValue()).as("rows of %s with an operation", row.get(0)).isEqualTo(mirroredRows.get(row.get(0))));
            assertThat(answers.get("cdc-freshness.ipynb#row_lag")).extracting(row -> row.get(0)).containsExactly("devices", "reservations", "vehicles");
            assertThat(answers.get("cdc-freshness.ipynb#row_lag")).allSatisfy(row -> {
                assertThat(((Number) row.get(1)).longValue()).as("rows of %s with a lake commit", row.get(0)).isPositive()
                        .isLessThanOrEqualTo(mirroredRows.get(row.get(0)));
                // From the database's commit to the lake's: after it, and within the demo's run.
                assertThat(((Number) row.get(4)).longValue()).as("largest lag of %s", row.get(0)).isNotNegative().isLessThan(Duration.ofMinutes(4).toMillis());
                assertThat(((Number) row.get(2)).longValue()).as("median lag of %s", row.get(0)).isNotNegative();
            });
            long opened = answers.get("alerts-week-over-week.ipynb#hourly").stream().mapToLong(row -> ((Number) row.get(1)).longValue()).sum();
            long injected = summary.injectedScenariosByType().values().stream().mapToLong(Long::longValue).sum();
            assertThat(opened).as("alerts opened, hour by hour").isEqualTo(summary.alertsOpenedByType().values().stream().mapToLong(Long::longValue).sum())
                    .isGreaterThanOrEqualTo(injected).isPositive();
        }
    }

    /** The {@code %%sql name <<} cells of a notebook, by name, without the magic line. */
    static Map<String, String> sqlCells(Path notebook) throws java.io.IOException {
        Map<String, String> cells = new LinkedHashMap<>();
        for (JsonNode cell : JSON.readTree(notebook.toFile()).get("cells")) {
            StringBuilder source = new StringBuilder();
            cell.get("source").forEach(line -> source.append(line.asText()));
            String text = source.toString();
            if (cell.get("cell_type").asText().equals("code") && text.startsWith("%%sql")) {
                String magic = text.substring(0, text.indexOf('\n'));
                String[] words = magic.split("\\s+");
                cells.put(words.length > 1 ? words[1] : "cell" + cells.size(), text.substring(magic.length() + 1).strip());
            }
        }
        return cells;
    }
}
