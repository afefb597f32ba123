package dev.tributary.cli;

import dev.tributary.schema.DriftCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drift", mixinStandardHelpOptions = true, description = "Schema drift of device events.",
        subcommands = {DriftCommand.Check.class})
final class DriftCommand {
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Checks JSON events (one per line) against an Avro schema with the telemetry job's drift detection,",
                    "and prints one JSON object per distinct finding: kind (field_added, field_missing, type_changed,",
                    "null_in_required, invalid_json), path, first_index (0-based line), count, and expected/found for type changes.",
                    "Exit code 0 with or without drift; 2 when the schema or the events cannot be read."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--schema", required = true, description = "The registered Avro schema (.avsc).")
        Path schemaFile;

        @Option(names = "--events", required = true, description = "The events, one JSON object per line (.jsonl).")
        Path eventsFile;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Schema schema;
            try {
                schema = new Schema.Parser().parse(schemaFile.toFile());
            } catch (IOException | SchemaParseException e) {
                err.println("error: cannot read the schema " + schemaFile + ": " + e.getMessage());
                return 2;
            }
            if (schema.getType() != Schema.Type.RECORD) {
                err.println("error: the schema " + schemaFile + " is a " + schema.getType().getName() + ", expected a record");
                return 2;
            }
            DriftCheck check = new DriftCheck(schema);
            try (BufferedReader reader = Files.newBufferedReader(eventsFile, StandardCharsets.UTF_8)) {
                long index = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine(), index++) {
                    if (!line.isBlank()) {
                        check.add(index, line);
                    }
                }
            } catch (IOException e) {
                err.println("error: cannot read the events " + eventsFile + ": " + e.getMessage());
                return 2;
            }
            for (DriftCheck.Finding finding : check.findings()) {
                out.println(DriftCheck.toJson(finding));
            }
            out.flush();
            return 0;
        }
    }
}
