package dev.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.config.DriftConfig;
import dev.tributary.lake.AcceptedShape;
import dev.tributary.lake.EvolvableField;
import dev.tributary.lake.ExtensionFields;
import dev.tributary.schema.DriftSplit;
import dev.tributary.schema.JsonShapeCheck;
import dev.tributary.schema.SchemaChange;
import dev.tributary.schema.SchemaChangeCloudEvents;
import dev.tributary.schema.SchemaChangeEvent;
import dev.tributary.schemas.telemetry.EnrichedTelemetry;
import dev.tributary.schemas.telemetry.TelemetryReading;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parse and validate with schema drift in mind: each raw record is read as {@link TelemetryParser}
 * reads it, and, when it is a JSON object, its shape is compared with the registered schema plus
 * what the lake accepted since. What differs is reported (once per distinct change, downstream)
 * and handled by the configured policies ({@link DriftConfig}):
 * <ul>
 *   <li>a field the schema lacks: {@code evolve} adds its column to the lake (here, before the
 *       reading goes on) and the reading carries its value; {@code quarantine} keeps it in the
 *       reading's {@code overflow}; {@code reject} dead-letters the record;
 *   <li>a value of another type: {@code quarantine} keeps the reading without it, the value in
 *       {@code overflow}, where the field is optional (a required field cannot be left empty, so
 *       such a record is dead-lettered); {@code reject} dead-letters the record;
 *   <li>a required field missing or null: the record is dead-lettered.
 * </ul>
 * No policy drops a record: it is a reading or a dead letter with its original bytes.
 */
public final class DriftHandler {
    public static final String STAGE = "drift";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Top-level names of the lake's own columns (enrichment, source position, overflow): a device field of that name never evolves. */
    private static final Set<String> RESERVED = reservedNames();

    private final DriftConfig config;
    private final TelemetryParser parser;
    private final AcceptedShape accepted;
    private final JsonShapeCheck shapes = new JsonShapeCheck(TelemetryReading.getClassSchema());
    private final DriftSplit split = new DriftSplit(TelemetryReading.getClassSchema());
    private final String subject = TelemetryReading.getClassSchema().getFullName();

    /** {@code accepted} may be null unless new fields evolve the lake. */
    public DriftHandler(DriftConfig config, TelemetryParser parser, AcceptedShape accepted) {
        this.config = requireNonNull(config, "config is null");
        this.parser = requireNonNull(parser, "parser is null");
        if (config.onFieldAdded() == DriftConfig.OnFieldAdded.EVOLVE && accepted == null) {
            throw new IllegalArgumentException("the evolve policy needs the lake's accepted shape");
        }
        this.accepted = accepted;
    }

    /** Parses a Kafka record. */
    public ParsedTelemetry parse(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, long nowMillis) {
        return parse(RecordOrigin.kafka(topic, partition, offset), timestamp, key, value, nowMillis);
    }

    /** Parses a record read from {@code origin}. */
    public ParsedTelemetry parse(RecordOrigin origin, long timestamp, byte[] key, byte[] value, long nowMillis) {
        ParsedTelemetry parsed = parser.parse(origin, timestamp, key, value, nowMillis);
        JsonNode event = tree(value);
        if (event == null) {
            return parsed;
        }
        List<SchemaChange> changes = shapes.check(event);
        if (changes.isEmpty()) {
            return parsed;
        }
        Record record = new Record(origin, timestamp, key, value);
        Map<String, JsonNode> overflow = new LinkedHashMap<>();
        String conflictAction = "rejected";
        if (parsed.reading() == null && config.onTypeConflict() == DriftConfig.OnTypeConflict.QUARANTINE) {
            DriftSplit.Conformed conformed = split.conform(event);
            if (conformed.unresolved().isEmpty() && !conformed.removed().isEmpty()) {
                ParsedTelemetry repaired = parser.parse(origin, timestamp, key, bytes(conformed.event()), nowMillis);
                if (repaired.reading() != null) {
                    parsed = repaired;
                    event = conformed.event();
                    overflow.putAll(conformed.removed());
                    conflictAction = "quarantined";
                }
            }
        }
        if (parsed.reading() == null) {
            return record.events(changes, "rejected", "rejected", List.of(), Set.of()).apply(parsed);
        }
        List<DriftSplit.Addition> additions = split.additions(event);
        List<SchemaChangeEvent> conflicts = new ArrayList<>();
        String additionAction = switch (config.onFieldAdded()) {
            case EVOLVE -> "evolved";
            case QUARANTINE -> "quarantined";
            case REJECT -> "rejected";
        };
        EnrichedTelemetry reading = parsed.reading();
        // Under evolve, the paths of added fields that cannot be columns (EvolvableField), kept in overflow instead.
        Set<String> quarantined = new HashSet<>();
        if (!additions.isEmpty()) {
            switch (config.onFieldAdded()) {
                case REJECT -> {
                    return record.events(changes, additionAction, conflictAction, List.of(), Set.of()).apply(record.deadLetter(
                            "schema drift: field_added at " + String.join(", ", additions.stream().map(DriftSplit.Addition::path).toList())
                                    + " (drift.on-field-added=reject)"));
                }
                case QUARANTINE -> additions.forEach(addition -> overflow.put(addition.path(), addition.value()));
                case EVOLVE -> {
                    List<DriftSplit.Addition> evolvable = new ArrayList<>();
                    for (DriftSplit.Addition addition : additions) {
                        Object name = addition.location().get(addition.location().size() - 1);
                        String whyNot = !(name instanceof String field) ? "not a named field"
                                : addition.location().size() == 1 && RESERVED.contains(field) ? "a column the pipeline writes itself"
                                : EvolvableField.whyNot(field, addition.value());
                        if (whyNot == null) {
                            evolvable.add(addition);
                        } else {
                            overflow.put(addition.path(), addition.value());
                            quarantined.add(addition.path().replaceAll("\\[\\d+]", "[]"));
                        }
                    }
                    if (evolvable.isEmpty()) {
                        break;
                    }
                    AcceptedShape.Accepted outcome = accepted.accept(DriftSplit.extensionTree(evolvable));
                    for (ExtensionFields.Conflict conflict : outcome.conflicts()) {
                        SchemaChange change = new SchemaChange(subject, SchemaChange.Kind.TYPE_CHANGED, conflict.path(), conflict.expected(), JsonShapeCheck.kind(conflict.value()));
                        boolean quarantine = config.onTypeConflict() == DriftConfig.OnTypeConflict.QUARANTINE;
                        conflicts.add(record.event(change, quarantine ? "quarantined" : "rejected"));
                        overflow.put(conflict.concretePath(), conflict.value());
                    }
                    if (!outcome.conflicts().isEmpty() && config.onTypeConflict() == DriftConfig.OnTypeConflict.REJECT) {
                        return record.events(changes, additionAction, "rejected", conflicts, quarantined).apply(record.deadLetter(
                                "schema drift: type_changed at " + String.join(", ", outcome.conflicts().stream()
                                        .map(conflict -> conflict.concretePath() + " (accepted as " + conflict.expected() + ")").toList())
                                        + " (drift.on-type-conflict=reject)"));
                    }
                    if (outcome.extensions() != null) {
                        reading.setExtensions(outcome.extensions().toString());
                    }
                }
            }
        }
        if (!overflow.isEmpty()) {
            ObjectNode json = JSON.createObjectNode();
            overflow.forEach(json::set);
            reading.setOverflow(json.toString());
        }
        return record.events(changes, additionAction, conflictAction, conflicts, quarantined).apply(parsed);
    }

    private static Set<String> reservedNames() {
        Set<String> names = new HashSet<>();
        EnrichedTelemetry.getClassSchema().getFields().forEach(field -> names.add(field.name()));
        TelemetryReading.getClassSchema().getFields().forEach(field -> names.remove(field.name()));
        return Set.copyOf(names);
    }

    private static JsonNode tree(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            JsonNode event = JSON.readTree(value);
            return event != null && event.isObject() ? event : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] bytes(JsonNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record being read, for its dead letter and its drift reports. */
    private record Record(RecordOrigin origin, long timestamp, byte[] key, byte[] value) {
        ParsedTelemetry deadLetter(String reason) {
            return ParsedTelemetry.invalid(origin.deadLetter(timestamp, key, value, reason, STAGE));
        }

        SchemaChangeEvent event(SchemaChange change, String action) {
            return new SchemaChangeEvent(change, timestamp, origin.topic(), origin.partition(), origin.offset(), 1, action);
        }

        /** The reports of one record: each distinct change once, with what was done about it. */
        java.util.function.UnaryOperator<ParsedTelemetry> events(List<SchemaChange> changes, String additionAction, String conflictAction,
                                                                 List<SchemaChangeEvent> more, Set<String> quarantinedAdditions) {
            List<SchemaChangeEvent> events = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (SchemaChange change : changes) {
                if (seen.add(SchemaChangeCloudEvents.id(change))) {
                    String action = switch (change.kind()) {
                        case FIELD_ADDED -> quarantinedAdditions.contains(change.path()) ? "quarantined" : additionAction;
                        case TYPE_CHANGED -> conflictAction;
                        default -> "rejected";
                    };
                    events.add(event(change, action));
                }
            }
            for (SchemaChangeEvent event : more) {
                if (seen.add(SchemaChangeCloudEvents.id(event.change()))) {
                    events.add(event);
                }
            }
            return parsed -> parsed.withDrift(events);
        }
    }
}
