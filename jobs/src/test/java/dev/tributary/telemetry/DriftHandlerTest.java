package dev.tributary.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.config.DriftConfig;
import dev.tributary.config.LakeConfig;
import dev.tributary.lake.AcceptedShape;
import dev.tributary.lake.Catalogs;
import dev.tributary.lake.TelemetryLakeLayout;
import dev.tributary.schema.SchemaChangeEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drift policies on real Iceberg tables (a SQLite catalog over a local warehouse). */
class DriftHandlerTest {
    private static final Instant AT = Instant.parse("2025-03-14T09:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private Catalog catalog;

    @BeforeEach
    void openCatalog() {
        catalog = Catalogs.open(lake(LakeConfig.ArrayLayout.LIST));
    }

    @AfterEach
    void closeCatalog() {
        Catalogs.closeQuietly(catalog);
    }

    private LakeConfig lake(LakeConfig.ArrayLayout arrays) {
        return new LakeConfig(LakeConfig.CatalogType.JDBC, "lake", "jdbc:sqlite:" + directory.resolve("catalog.db"),
                directory.resolve("warehouse").toUri().toString(), "fleet", "telemetry_" + arrays.name().toLowerCase(), LakeConfig.FileFormat.ORC, arrays, LakeConfig.Writer.DYNAMIC_SINK);
    }

    private DriftHandler handler(DriftConfig.OnFieldAdded added, DriftConfig.OnTypeConflict conflict, LakeConfig.ArrayLayout arrays) {
        TelemetryLakeLayout layout = new TelemetryLakeLayout(lake(arrays));
        layout.ensureTables(catalog);
        return new DriftHandler(new DriftConfig(true, added, conflict), new TelemetryParser(1 << 20),
                new AcceptedShape(layout, Catalogs.loader(lake(arrays))));
    }

    private static ParsedTelemetry parse(DriftHandler handler, JsonNode event, long offset) {
        return handler.parse("fleet.telemetry.raw", 0, offset, AT.toEpochMilli(), null, event.toString().getBytes(StandardCharsets.UTF_8), AT.toEpochMilli());
    }

    private static List<String> reported(ParsedTelemetry parsed) {
        return parsed.drift().stream().map(SchemaChangeEvent::change)
                .map(change -> change.kind().code() + " " + change.path() + " " + change.expected() + "->" + change.found()).toList();
    }

    private static List<String> actions(ParsedTelemetry parsed) {
        return parsed.drift().stream().map(SchemaChangeEvent::action).toList();
    }

    private Table table(LakeConfig.ArrayLayout arrays, String suffix) {
        return catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of("fleet", "telemetry_" + arrays.name().toLowerCase() + suffix));
    }

    @Test
    void evolveAddsTheNewNestedColumnsAndTheReadingCarriesTheirValues() throws Exception {
        DriftHandler handler = handler(DriftConfig.OnFieldAdded.EVOLVE, DriftConfig.OnTypeConflict.QUARANTINE, LakeConfig.ArrayLayout.LIST);
        ObjectNode event = TestReadings.reading("dev-1", 1, AT).json();
        ((ObjectNode) event.get("engine")).putObject("turbo").put("boost_kpa", 81).putObject("wastegate").putObject("valve").put("open", true);
        ((ObjectNode) event.get("diagnostics").get(0)).put("freeze_frame_rpm", 900);

        ParsedTelemetry parsed = parse(handler, event, 7);

        assertThat(parsed.reading()).isNotNull();
        assertThat(reported(parsed)).containsExactly("field_added engine.turbo null->object", "field_added diagnostics[].freeze_frame_rpm null->integer");
        assertThat(actions(parsed)).containsOnly("evolved");
        assertThat(JSON.readTree(parsed.reading().getExtensions())).isEqualTo(JSON.readTree(
                "{\"engine\":{\"turbo\":{\"boost_kpa\":81,\"wastegate\":{\"valve\":{\"open\":true}}}},\"diagnostics\":[{\"freeze_frame_rpm\":900}]}"));
        assertThat(parsed.reading().getOverflow()).isNull();
        Table table = table(LakeConfig.ArrayLayout.LIST, "");
        assertThat(table.schema().findType("engine.turbo.boost_kpa")).isEqualTo(Types.DoubleType.get());
        assertThat(table.schema().findType("engine.turbo.wastegate.valve.open")).isEqualTo(Types.BooleanType.get());
        assertThat(table.schema().findType("diagnostics.element.freeze_frame_rpm")).isEqualTo(Types.DoubleType.get());

        // The same fields again: already accepted, so the table's schema stays as it is.
        int schemaId = table.schema().schemaId();
        ParsedTelemetry again = parse(handler, event, 8);
        assertThat(again.reading().getExtensions()).isEqualTo(parsed.reading().getExtensions());
        table.refresh();
        assertThat(table.schema().schemaId()).isEqualTo(schemaId);
    }

    @Test
    void fieldsThatCannotBeColumnsAreQuarantinedUnderEvolveAndTheRestEvolves() throws Exception {
        DriftHandler handler = handler(DriftConfig.OnFieldAdded.EVOLVE, DriftConfig.OnTypeConflict.QUARANTINE, LakeConfig.ArrayLayout.LIST);
        ObjectNode event = TestReadings.reading("dev-1", 1, AT).json();
        event.put("Engine", 1).put("a.b", 2).put("", 3).put("x".repeat(129), 4).put("good_one", 5).put("vehicle", 6).put("ingested_at", "now");
        ((ObjectNode) event.get("engine")).putObject("deep").set("n", JSON.readTree("{\"n\":".repeat(20) + "1" + "}".repeat(20)));
        ((ObjectNode) event.get("engine")).putObject("odd").put("camelCase", true);
        int columns = table(LakeConfig.ArrayLayout.LIST, "").schema().columns().size();

        ParsedTelemetry parsed = parse(handler, event, 9);

        assertThat(parsed.reading()).isNotNull();
        assertThat(parsed.drift()).filteredOn(drift -> drift.action().equals("evolved")).extracting(drift -> drift.change().path())
                .containsExactly("good_one");
        assertThat(parsed.drift()).filteredOn(drift -> drift.action().equals("quarantined")).extracting(drift -> drift.change().path())
                .containsExactlyInAnyOrder("Engine", "a.b", "", "x".repeat(129), "vehicle", "ingested_at", "engine.deep", "engine.odd");
        JsonNode overflow = JSON.readTree(parsed.reading().getOverflow());
        assertThat(overflow.get("Engine").asInt()).isEqualTo(1);
        assertThat(overflow.get("engine.deep")).isEqualTo(event.get("engine").get("deep"));
        assertThat(overflow.get("engine.odd").get("camelCase").asBoolean()).isTrue();
        Table table = table(LakeConfig.ArrayLayout.LIST, "");
        assertThat(table.schema().columns()).hasSize(columns + 1);
        assertThat(table.schema().findField("good_one")).isNotNull();
    }

    @Test
    void aValueConflictingWithAnAcceptedColumnIsQuarantinedAndReportedAsATypeChange() throws Exception {
        DriftHandler handler = handler(DriftConfig.OnFieldAdded.EVOLVE, DriftConfig.OnTypeConflict.QUARANTINE, LakeConfig.ArrayLayout.LIST);
        ObjectNode first = TestReadings.reading("dev-1", 1, AT).json();
        ((ObjectNode) first.get("engine")).putObject("turbo").put("boost_kpa", 81).put("mode", "eco");
        parse(handler, first, 1);

        ObjectNode second = TestReadings.reading("dev-1", 2, AT).json();
        ((ObjectNode) second.get("engine")).putObject("turbo").put("boost_kpa", "high").put("mode", "sport");
        ParsedTelemetry parsed = parse(handler, second, 2);

        assertThat(parsed.reading()).isNotNull();
        assertThat(JSON.readTree(parsed.reading().getOverflow())).isEqualTo(JSON.readTree("{\"engine.turbo.boost_kpa\":\"high\"}"));
        assertThat(JSON.readTree(parsed.reading().getExtensions())).isEqualTo(JSON.readTree("{\"engine\":{\"turbo\":{\"mode\":\"sport\"}}}"));
        assertThat(reported(parsed)).contains("type_changed engine.turbo.boost_kpa double->string");
        assertThat(parsed.drift()).filteredOn(event -> event.change().kind().code().equals("type_changed"))
                .extracting(SchemaChangeEvent::action).containsExactly("quarantined");
    }

    @Test
    void aRegisteredOptionalFieldOfAnotherTypeIsQuarantinedAndARequiredOneIsDeadLettered() throws Exception {
        DriftHandler handler = handler(DriftConfig.OnFieldAdded.EVOLVE, DriftConfig.OnTypeConflict.QUARANTINE, LakeConfig.ArrayLayout.LIST);
        ObjectNode optional = TestReadings.reading("dev-1", 1, AT).json();
        ((ObjectNode) optional.get("battery")).put("temperature_c", "21.5C");
        ParsedTelemetry kept = parse(handler, optional, 1);
        assertThat(kept.reading()).isNotNull();
        assertThat(kept.reading().getBattery().getTemperatureC()).isNull();
        assertThat(JSON.readTree(kept.reading().getOverflow())).isEqualTo(JSON.readTree("{\"battery.temperature_c\":\"21.5C\"}"));
        assertThat(reported(kept)).containsExactly("type_changed battery.temperature_c double->string");
        assertThat(actions(kept)).containsExactly("quarantined");

        ObjectNode required = TestReadings.reading("dev-1", 2, AT).json();
        ((ObjectNode) required.get("battery")).put("voltage_v", "low");
        ParsedTelemetry refused = parse(handler, required, 2);
        assertThat(refused.deadLetter()).isNotNull();
        assertThat(refused.deadLetter().value()).isEqualTo(required.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(actions(refused)).containsExactly("rejected");
    }

    @Test
    void rejectDeadLettersWithTheOriginalBytesAndQuarantineKeepsAddedFieldsAsJson() throws Exception {
        ObjectNode event = TestReadings.reading("dev-1", 1, AT).json();
        event.putObject("cabin").put("co2_ppm", 640);
        byte[] bytes = event.toString().getBytes(StandardCharsets.UTF_8);

        DriftHandler rejecting = handler(DriftConfig.OnFieldAdded.REJECT, DriftConfig.OnTypeConflict.REJECT, LakeConfig.ArrayLayout.LIST);
        ParsedTelemetry refused = parse(rejecting, event, 1);
        assertThat(refused.deadLetter()).isNotNull();
        assertThat(refused.deadLetter().value()).isEqualTo(bytes);
        assertThat(refused.deadLetter().reason()).isEqualTo("schema drift: field_added at cabin (drift.on-field-added=reject)");
        assertThat(actions(refused)).containsExactly("rejected");

        DriftHandler quarantining = handler(DriftConfig.OnFieldAdded.QUARANTINE, DriftConfig.OnTypeConflict.QUARANTINE, LakeConfig.ArrayLayout.LIST);
        ParsedTelemetry kept = parse(quarantining, event, 1);
        assertThat(JSON.readTree(kept.reading().getOverflow())).isEqualTo(JSON.readTree("{\"cabin\":{\"co2_ppm\":640}}"));
        assertThat(kept.reading().getExtensions()).isNull();
        assertThat(table(LakeConfig.ArrayLayout.LIST, "").schema().findField("cabin")).isNull();
    }

    @Test
    void withArraysPivotedAFieldAddedToAnElementBecomesAColumnOfTheChildTable() {
        DriftHandler handler = handler(DriftConfig.OnFieldAdded.EVOLVE, DriftConfig.OnTypeConflict.QUARANTINE, LakeConfig.ArrayLayout.CHILD_TABLE);
        assertThat(table(LakeConfig.ArrayLayout.CHILD_TABLE, "").schema().findField("diagnostics")).isNull();
        ObjectNode event = TestReadings.reading("dev-1", 1, AT).json();
        ((ObjectNode) event.get("diagnostics").get(0)).putObject("freeze_frame").put("rpm", 900);
        event.putArray("tires").addObject().put("position", "front_left").put("pressure_kpa", 220);

        ParsedTelemetry parsed = parse(handler, event, 1);

        assertThat(parsed.reading()).isNotNull();
        Table diagnostics = table(LakeConfig.ArrayLayout.CHILD_TABLE, "_diagnostics");
        assertThat(diagnostics.schema().findType("freeze_frame.rpm")).isEqualTo(Types.DoubleType.get());
        assertThat(diagnostics.schema().findField("ordinal")).isNotNull();
        Table tires = table(LakeConfig.ArrayLayout.CHILD_TABLE, "_tires");
        assertThat(tires.schema().findType("pressure_kpa")).isEqualTo(Types.DoubleType.get());
        assertThat(table(LakeConfig.ArrayLayout.CHILD_TABLE, "").properties()).containsEntry(TelemetryLakeLayout.CHILD_TABLES_PROPERTY, "diagnostics,tires");
    }
}
