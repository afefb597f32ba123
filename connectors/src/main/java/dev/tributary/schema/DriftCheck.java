package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Schema drift over a sequence of events: each distinct change once, with the index of the
 * first event that showed it and how many events did. What {@code ./tributary drift check}
 * prints and what the telemetry job's drift stage counts.
 */
public final class DriftCheck {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A distinct finding so far. {@code kind} is a {@link SchemaChange.Kind} code or {@code invalid_json}. */
    public record Finding(String kind, String path, String expected, String found, long firstIndex, long count, String error) {
        Finding counted() {
            return new Finding(kind, path, expected, found, firstIndex, count + 1, error);
        }
    }

    private final JsonShapeCheck check;
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private long events;

    public DriftCheck(Schema schema) {
        this.check = new JsonShapeCheck(requireNonNull(schema, "schema is null"));
    }

    /** Checks one event given as text; a line that is not JSON becomes an {@code invalid_json} finding of its own. */
    public void add(long index, String line) {
        events++;
        JsonNode event;
        try {
            event = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            findings.put("invalid_json#" + index, new Finding("invalid_json", null, null, null, index, 1, message));
            return;
        }
        if (event == null) {
            findings.put("invalid_json#" + index, new Finding("invalid_json", null, null, null, index, 1, "no JSON value"));
            return;
        }
        add(index, event);
    }

    /** Checks one parsed event; an event showing a change several times (in several array elements) counts once. */
    public void add(long index, JsonNode event) {
        Set<String> seen = new LinkedHashSet<>();
        for (SchemaChange change : check.check(event)) {
            String key = change.kind().code() + "|" + change.path() + "|" + change.expected() + "|" + change.found();
            if (!seen.add(key)) {
                continue;
            }
            findings.merge(key, new Finding(change.kind().code(), change.path(), change.expected(), change.found(), index, 1, null),
                    (before, ignored) -> before.counted());
        }
    }

    /** The findings, in the order they were first seen. */
    public List<Finding> findings() {
        return new ArrayList<>(findings.values());
    }

    public long events() {
        return events;
    }

    /** One finding as the JSON object {@code drift check} prints. */
    public static String toJson(Finding finding) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("kind", finding.kind());
        if (finding.kind().equals("invalid_json")) {
            object.put("index", finding.firstIndex());
        } else {
            object.put("path", finding.path());
        }
        object.put("first_index", finding.firstIndex());
        object.put("count", finding.count());
        if (finding.kind().equals(SchemaChange.Kind.TYPE_CHANGED.code()) || finding.kind().equals(SchemaChange.Kind.NULL_IN_REQUIRED.code())) {
            object.put("expected", finding.expected());
            object.put("found", finding.found());
        } else if (finding.kind().equals(SchemaChange.Kind.FIELD_ADDED.code())) {
            object.put("found", finding.found());
        } else if (finding.kind().equals(SchemaChange.Kind.FIELD_MISSING.code())) {
            object.put("expected", finding.expected());
        }
        if (finding.error() != null) {
            object.put("error", finding.error());
        }
        try {
            return MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
