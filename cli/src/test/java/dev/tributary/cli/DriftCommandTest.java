package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code drift check} contract: one JSON object per distinct finding, exit 0 with or without drift, 2 when unreadable. */
class DriftCommandTest {
    static final String SCHEMA = """
            {"type": "record", "name": "Reading", "fields": [
              {"name": "id", "type": "string"},
              {"name": "battery", "type": {"type": "record", "name": "Battery", "fields": [
                {"name": "voltage", "type": "double"},
                {"name": "cells", "type": {"type": "array", "items": {"type": "record", "name": "Cell", "fields": [
                  {"name": "mv", "type": "int"}]}}}]}},
              {"name": "note", "type": ["null", "string"], "default": null}]}
            """;

    @TempDir
    Path directory;

    @Test
    void printsEachDistinctFindingOnceWithItsFirstIndexAndCount() throws Exception {
        Path schema = Files.writeString(directory.resolve("reading.avsc"), SCHEMA);
        Path events = Files.writeString(directory.resolve("events.jsonl"), String.join("\n",
                "{\"id\": \"a\", \"battery\": {\"voltage\": 12, \"cells\": [{\"mv\": 3300}]}}",
                "{\"battery\": {\"cells\": [], \"voltage\": 12.4}, \"id\": \"b\", \"note\": null}",
                "{\"id\": \"c\", \"battery\": {\"voltage\": \"low\", \"cells\": [{\"mv\": 3300, \"temp\": 21}, {\"mv\": 3290, \"temp\": 22}]}}",
                "not json at all",
                "{\"id\": \"d\", \"battery\": {\"voltage\": \"low\", \"cells\": [{\"mv\": 3300, \"temp\": 21}]}, \"gps\": {\"lat\": 1, \"lon\": 2}}",
                "{\"id\": null, \"battery\": {\"cells\": []}}",
                ""));
        CommandRunner.Result run = CommandRunner.run("drift", "check", "--schema", schema.toString(), "--events", events.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> findings = new ArrayList<>();
        for (String line : run.out().split("\n")) {
            findings.add(new ObjectMapper().readTree(line));
        }
        assertThat(findings).extracting(finding -> finding.get("kind").asText() + " " + finding.path("path").asText("") + " "
                + finding.get("first_index").asLong() + " " + finding.get("count").asLong()).containsExactly(
                "type_changed battery.voltage 2 2",
                "field_added battery.cells[].temp 2 2",
                "invalid_json  3 1",
                "field_added gps 4 1",
                "null_in_required id 5 1",
                "field_missing battery.voltage 5 1");
        assertThat(findings.get(0).get("expected").asText()).isEqualTo("double");
        assertThat(findings.get(0).get("found").asText()).isEqualTo("string");
        assertThat(findings.get(2).get("index").asLong()).isEqualTo(3);
    }

    @Test
    void anUnreadableSchemaOrEventsFileIsExitCodeTwoWithAMessage() throws Exception {
        Path events = Files.writeString(directory.resolve("events.jsonl"), "{}\n");
        Path broken = Files.writeString(directory.resolve("broken.avsc"), "{\"type\": \"record\", \"name\": \"R\"");
        CommandRunner.Result badSchema = CommandRunner.run("drift", "check", "--schema", broken.toString(), "--events", events.toString());
        assertThat(badSchema.exitCode()).isEqualTo(2);
        assertThat(badSchema.err()).contains("cannot read the schema").contains("broken.avsc");

        Path schema = Files.writeString(directory.resolve("reading.avsc"), SCHEMA);
        CommandRunner.Result noEvents = CommandRunner.run("drift", "check", "--schema", schema.toString(), "--events", directory.resolve("none.jsonl").toString());
        assertThat(noEvents.exitCode()).isEqualTo(2);
        assertThat(noEvents.err()).contains("cannot read the events").contains("none.jsonl");
    }
}
