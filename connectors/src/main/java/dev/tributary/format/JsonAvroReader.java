package dev.tributary.format;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Reads plain JSON (the shape devices and services send, not Avro's JSON encoding) into Avro
 * records, checking it against an Avro schema on the way.
 *
 * <p>Rules: a field without a default must be present; a field whose type is a union with
 * {@code null} may be absent or null; an absent field with a default takes the default; an
 * integer is accepted where a {@code long}, {@code float} or {@code double} is expected;
 * {@code timestamp-millis} takes epoch milliseconds or an ISO-8601 instant; fields the schema
 * does not name are ignored here (finding them is the drift detector's job).
 *
 * <p>Records are built through the given {@link SpecificData}, so a schema with a generated
 * class yields that class. Instances are immutable and thread-safe.
 */
public final class JsonAvroReader {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        // Large events are refused by size before parsing; keep Jackson's own limits generous.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(64 * 1024 * 1024)
                .build());
    }

    private final SpecificData model;

    public JsonAvroReader(SpecificData model) {
        this.model = requireNonNull(model, "model is null");
    }

    /** Parses bytes as one JSON document and reads it as {@code schema}. */
    @SuppressWarnings("unchecked")
    public <T extends IndexedRecord> T read(byte[] json, Schema schema) throws InvalidRecordException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidRecordException("", "malformed JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidRecordException("", "empty message");
        }
        return (T) read(node, schema);
    }

    /** Reads an already parsed JSON node as {@code schema}. */
    public Object read(JsonNode node, Schema schema) throws InvalidRecordException {
        return readValue(node, schema, "");
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private Object readValue(JsonNode node, Schema schema, String path) throws InvalidRecordException {
        switch (schema.getType()) {
            case RECORD:
                return readRecord(node, schema, path);
            case UNION:
                return readUnion(node, schema, path);
            case ARRAY: {
                expect(node.isArray(), node, "array", path);
                List<Object> list = new ArrayList<>(node.size());
                String itemPath = path + "[]";
                for (JsonNode item : node) {
                    list.add(readRequired(item, schema.getElementType(), itemPath));
                }
                return list;
            }
            case MAP: {
                expect(node.isObject(), node, "map", path);
                Map<String, Object> map = new LinkedHashMap<>();
                String valuePath = path + "{}";
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> entry = fields.next();
                    map.put(entry.getKey(), readRequired(entry.getValue(), schema.getValueType(), valuePath));
                }
                return map;
            }
            case STRING:
                expect(node.isTextual(), node, "string", path);
                return node.textValue();
            case ENUM:
                expect(node.isTextual(), node, "string", path);
                if (!schema.hasEnumSymbol(node.textValue())) {
                    throw new InvalidRecordException(path, "unknown symbol '" + node.textValue() + "', expected one of " + schema.getEnumSymbols());
                }
                return model.createEnum(node.textValue(), schema);
            case BOOLEAN:
                expect(node.isBoolean(), node, "boolean", path);
                return node.booleanValue();
            case INT:
                expect(node.isIntegralNumber() && node.canConvertToInt(), node, "int", path);
                return node.intValue();
            case LONG:
                if (isTimestampMillis(schema)) {
                    return readTimestamp(node, path);
                }
                expect(node.isIntegralNumber() && node.canConvertToLong(), node, "long", path);
                return node.longValue();
            case FLOAT:
                expect(node.isNumber(), node, "float", path);
                return node.floatValue();
            case DOUBLE:
                expect(node.isNumber(), node, "double", path);
                return node.doubleValue();
            case NULL:
                expect(node.isNull(), node, "null", path);
                return null;
            default:
                throw new InvalidRecordException(path, "unsupported schema type " + schema.getType());
        }
    }

    private Object readRecord(JsonNode node, Schema schema, String path) throws InvalidRecordException {
        expect(node.isObject(), node, "object", path);
        IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            JsonNode child = node.get(field.name());
            Object value;
            if (child == null) {
                if (field.hasDefaultValue()) {
                    // A copy: the model caches one default object per field, shared by every reader.
                    value = model.deepCopy(field.schema(), model.getDefaultValue(field));
                } else if (isNullable(field.schema())) {
                    value = null;
                } else {
                    throw new InvalidRecordException(fieldPath, "missing required field");
                }
            } else {
                value = readRequired(child, field.schema(), fieldPath);
            }
            record.put(field.pos(), value);
        }
        return record;
    }

    private Object readRequired(JsonNode node, Schema schema, String path) throws InvalidRecordException {
        if (node.isNull()) {
            if (isNullable(schema)) {
                return null;
            }
            throw new InvalidRecordException(path, "null in required field");
        }
        return readValue(node, schema, path);
    }

    private Object readUnion(JsonNode node, Schema schema, String path) throws InvalidRecordException {
        if (node.isNull()) {
            if (isNullable(schema)) {
                return null;
            }
            throw new InvalidRecordException(path, "null in required field");
        }
        InvalidRecordException first = null;
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return readValue(node, branch, path);
            } catch (InvalidRecordException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first != null ? first : new InvalidRecordException(path, "no branch of the union matches");
    }

    private static Instant readTimestamp(JsonNode node, String path) throws InvalidRecordException {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.textValue());
            } catch (DateTimeParseException e) {
                throw new InvalidRecordException(path, "invalid timestamp '" + node.textValue() + "', expected an ISO-8601 instant or epoch milliseconds");
            }
        }
        throw new InvalidRecordException(path, "wrong type: expected timestamp, found " + describe(node));
    }

    static boolean isTimestampMillis(Schema schema) {
        LogicalType logicalType = schema.getLogicalType();
        return logicalType instanceof LogicalTypes.TimestampMillis;
    }

    static boolean isNullable(Schema schema) {
        if (schema.getType() == Schema.Type.NULL) {
            return true;
        }
        if (schema.getType() != Schema.Type.UNION) {
            return false;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                return true;
            }
        }
        return false;
    }

    private static void expect(boolean ok, JsonNode node, String expected, String path) throws InvalidRecordException {
        if (!ok) {
            throw new InvalidRecordException(path, "wrong type: expected " + expected + ", found " + describe(node));
        }
    }

    /** A JSON node's kind in the words the drift detector and the dead-letter reasons use. */
    public static String describe(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                return "object";
            case ARRAY:
                return "array";
            case STRING:
                return "string";
            case BOOLEAN:
                return "boolean";
            case NULL:
                return "null";
            case NUMBER:
                return node.isIntegralNumber() ? "integer" : "number";
            default:
                return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
