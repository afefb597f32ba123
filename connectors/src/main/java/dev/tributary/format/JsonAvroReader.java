package dev.tributary.format;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
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
    /** Large events are refused by size before parsing; Jackson's own limits stay generous. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).build())
            .build();
    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final SpecificData model;
    private final Map<Schema, Constructor<?>> constructors = new ConcurrentHashMap<>();

    public JsonAvroReader(SpecificData model) {
        this.model = requireNonNull(model, "model is null");
    }

    /**
     * Parses bytes as one JSON document and reads it as {@code schema}, in one pass over the
     * tokens (no tree is built). A field that appears twice in one object is refused.
     */
    @SuppressWarnings("unchecked")
    public <T extends IndexedRecord> T read(byte[] json, Schema schema) throws InvalidRecordException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new InvalidRecordException("", "empty message");
            }
            Object value = readStreamed(parser, token, schema, "");
            if (parser.nextToken() != null) {
                throw new InvalidRecordException("", "malformed JSON: more content after the end of the document");
            }
            return (T) value;
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("", "malformed JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InvalidRecordException("", "unreadable: " + firstLine(e.getMessage()));
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private Object readStreamed(JsonParser parser, JsonToken token, Schema schema, String path) throws IOException, InvalidRecordException {
        if (token == JsonToken.VALUE_NULL) {
            if (isNullable(schema)) {
                return null;
            }
            throw new InvalidRecordException(path, "null in required field");
        }
        switch (schema.getType()) {
            case RECORD:
                return readRecordStreamed(parser, token, schema, path);
            case UNION: {
                List<Schema> branches = schema.getTypes();
                if (branches.size() == 2 && isNullable(schema)) {
                    Schema branch = branches.get(0).getType() == Schema.Type.NULL ? branches.get(1) : branches.get(0);
                    return readStreamed(parser, token, branch, path);
                }
                return readUnionBranches(MAPPER.readTree(parser), schema, path);
            }
            case ARRAY: {
                expectToken(token == JsonToken.START_ARRAY, token, "array", path);
                List<Object> list = new ArrayList<>();
                String itemPath = path + "[]";
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readStreamed(parser, next, schema.getElementType(), itemPath));
                }
                return list;
            }
            case MAP: {
                expectToken(token == JsonToken.START_OBJECT, token, "map", path);
                Map<String, Object> map = new LinkedHashMap<>();
                String valuePath = path + "{}";
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    map.put(key, readStreamed(parser, parser.nextToken(), schema.getValueType(), valuePath));
                }
                return map;
            }
            case STRING:
                expectToken(token == JsonToken.VALUE_STRING, token, "string", path);
                return checkedText(parser.getText(), path);
            case ENUM: {
                expectToken(token == JsonToken.VALUE_STRING, token, "string", path);
                String symbol = parser.getText();
                if (!schema.hasEnumSymbol(symbol)) {
                    throw new InvalidRecordException(path, "unknown symbol '" + symbol + "', expected one of " + schema.getEnumSymbols());
                }
                return model.createEnum(symbol, schema);
            }
            case BOOLEAN:
                expectToken(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, token, "boolean", path);
                return token == JsonToken.VALUE_TRUE;
            case INT:
                expectToken(token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT, token, "int", path);
                return parser.getIntValue();
            case LONG:
                if (isTimestampMillis(schema)) {
                    if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        return Instant.ofEpochMilli(parser.getLongValue());
                    }
                    if (token == JsonToken.VALUE_STRING) {
                        return parseInstant(parser.getText(), path);
                    }
                    throw new InvalidRecordException(path, "wrong type: expected timestamp, found " + describe(token));
                }
                expectToken(token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER, token, "long", path);
                return parser.getLongValue();
            case FLOAT: {
                expectToken(token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT, token, "float", path);
                float value = parser.getFloatValue();
                requireFinite(Float.isFinite(value), parser, path);
                return value;
            }
            case DOUBLE: {
                expectToken(token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT, token, "double", path);
                double value = parser.getDoubleValue();
                requireFinite(Double.isFinite(value), parser, path);
                return value;
            }
            default:
                throw new InvalidRecordException(path, "unsupported schema type " + schema.getType());
        }
    }

    /** A number too large for its type (1e400 as a double) would be infinite: refused rather than stored as infinity. */
    private static void requireFinite(boolean finite, JsonParser parser, String path) throws IOException, InvalidRecordException {
        if (!finite) {
            throw new InvalidRecordException(path, "number out of range: " + abbreviate(parser.getText()));
        }
    }

    /**
     * Text every output can carry as it came: a string with a lone UTF-16 surrogate (an escaped high
     * surrogate D800 with no low one after it) has no UTF-8 form, so Kafka, ORC and Kinesis would each write a
     * replacement character instead; it is refused.
     */
    private static String checkedText(String text, String path) throws InvalidRecordException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRecordException(path, String.format("invalid text: a lone UTF-16 surrogate U+%04X at character %d", (int) c, i));
            }
        }
        return text;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "... (" + text.length() + " characters)";
    }

    /** A union of several types: the value, buffered, is read as each branch in turn until one fits. */
    private Object readUnionBranches(JsonNode value, Schema union, String path) throws IOException, InvalidRecordException {
        InvalidRecordException first = null;
        for (Schema branch : union.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try (JsonParser branchParser = MAPPER.treeAsTokens(value)) {
                return readStreamed(branchParser, branchParser.nextToken(), branch, path);
            } catch (InvalidRecordException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first != null ? first : new InvalidRecordException(path, "no branch of the union matches");
    }

    private Object readRecordStreamed(JsonParser parser, JsonToken token, Schema schema, String path) throws IOException, InvalidRecordException {
        expectToken(token == JsonToken.START_OBJECT, token, "object", path);
        IndexedRecord record = newRecord(schema);
        List<Schema.Field> fields = schema.getFields();
        boolean[] present = new boolean[fields.size()];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            Schema.Field field = schema.getField(name);
            JsonToken valueToken = parser.nextToken();
            String fieldPath = path.isEmpty() ? name : path + "." + name;
            if (field == null) {
                parser.skipChildren();
                continue;
            }
            if (present[field.pos()]) {
                throw new InvalidRecordException(fieldPath, "malformed JSON: duplicate field");
            }
            present[field.pos()] = true;
            record.put(field.pos(), readStreamed(parser, valueToken, field.schema(), fieldPath));
        }
        for (Schema.Field field : fields) {
            if (!present[field.pos()]) {
                record.put(field.pos(), absent(field, path));
            }
        }
        return record;
    }

    /** The value of a field the JSON leaves out: its default, null if it may be null, or an error. */
    private Object absent(Schema.Field field, String path) throws InvalidRecordException {
        if (field.hasDefaultValue()) {
            // A copy: the model caches one default object per field, shared by every reader.
            return model.deepCopy(field.schema(), model.getDefaultValue(field));
        }
        if (isNullable(field.schema())) {
            return null;
        }
        throw new InvalidRecordException(path.isEmpty() ? field.name() : path + "." + field.name(), "missing required field");
    }

    /** A new record of the schema's generated class (or a generic record), without reflection's access checks each time. */
    private IndexedRecord newRecord(Schema schema) throws InvalidRecordException {
        Constructor<?> constructor = constructors.computeIfAbsent(schema, this::constructorFor);
        if (constructor == GENERIC) {
            return new GenericData.Record(schema);
        }
        try {
            return (IndexedRecord) constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new InvalidRecordException("", "cannot create a " + schema.getFullName() + ": " + e);
        }
    }

    private static final Constructor<?> GENERIC = GenericData.Record.class.getConstructors()[0];

    private Constructor<?> constructorFor(Schema schema) {
        Class<?> type = model.getClass(schema);
        if (type == null || !IndexedRecord.class.isAssignableFrom(type)) {
            return GENERIC;
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor;
        } catch (NoSuchMethodException e) {
            return GENERIC;
        }
    }

    static Instant parseInstant(String text, String path) throws InvalidRecordException {
        Instant fast = parseUtcMillis(text);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException(path, "invalid timestamp '" + text + "', expected an ISO-8601 instant or epoch milliseconds");
        }
    }

    /**
     * The common shape {@code 2026-11-23T21:11:09.172Z} (what Instant's toString writes), parsed
     * without a DateTimeFormatter; null for any other shape, which Instant.parse then handles.
     */
    private static Instant parseUtcMillis(String text) {
        int length = text.length();
        if ((length != 20 && length != 24) || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z'
                || (length == 24 && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int millis = length == 24 ? digits(text, 20, 3) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || millis < 0) {
            return null;
        }
        try {
            long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochMilli(((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void expectToken(boolean ok, JsonToken token, String expected, String path) throws InvalidRecordException {
        if (!ok) {
            throw new InvalidRecordException(path, "wrong type: expected " + expected + ", found " + describe(token));
        }
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "object";
            case START_ARRAY:
                return "array";
            case VALUE_STRING:
                return "string";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "boolean";
            case VALUE_NULL:
                return "null";
            case VALUE_NUMBER_INT:
                return "integer";
            case VALUE_NUMBER_FLOAT:
                return "number";
            default:
                return token.name().toLowerCase(java.util.Locale.ROOT);
        }
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

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
