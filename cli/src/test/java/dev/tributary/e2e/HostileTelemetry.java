package dev.tributary.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A corpus of hostile device messages, built from one valid reading: every JSON type in every
 * field, extreme numbers, extreme and malformed times, odd encodings, sizes around the limit,
 * deep nesting and odd field names. Each message has a name that says what it is, for failure
 * messages; the corpus does not say which messages are valid (the pipeline decides; the test
 * checks that each one is either written everywhere or dead-lettered, never both, never neither).
 */
final class HostileTelemetry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One message: what it is, the bytes sent. */
    record Message(String name, byte[] bytes) {
    }

    /** The fields of a reading, as JSON paths (objects by name, arrays by index). */
    private static final List<String> PATHS = List.of(
            "event_id", "device_id", "sequence", "event_time", "firmware_version",
            "engine", "engine.on", "engine.rpm", "engine.coolant_temp_c", "engine.oil_pressure_kpa",
            "doors", "doors.locked", "doors.front_left", "doors.front_left.open", "doors.trunk.open",
            "lights", "lights.headlights", "lights.headlights.on", "lights.headlights.high_beam", "lights.hazard_on",
            "battery", "battery.voltage_v", "battery.state_of_charge_pct", "battery.temperature_c",
            "location", "location.latitude", "location.longitude", "location.speed_kph", "location.heading_deg",
            "diagnostics", "diagnostics.0", "diagnostics.0.code", "diagnostics.0.severity", "diagnostics.0.message");

    private static final List<String> NUMBERS = List.of(
            "engine.rpm", "engine.coolant_temp_c", "engine.oil_pressure_kpa", "battery.voltage_v", "battery.state_of_charge_pct",
            "location.latitude", "location.longitude", "location.speed_kph", "location.heading_deg", "sequence");

    private static final List<String> STRINGS = List.of("event_id", "device_id", "firmware_version", "diagnostics.0.code",
            "diagnostics.0.severity", "diagnostics.0.message");

    private final Instant now;
    private final int maxEventBytes;
    private final List<Message> messages = new ArrayList<>();
    private int next;

    private HostileTelemetry(Instant now, int maxEventBytes) {
        this.now = now;
        this.maxEventBytes = maxEventBytes;
    }

    /** The corpus, with readings dated around {@code now}, for a pipeline that refuses messages above {@code maxEventBytes}. */
    static List<Message> corpus(Instant now, int maxEventBytes) {
        HostileTelemetry corpus = new HostileTelemetry(now, maxEventBytes);
        corpus.everyTypeInEveryField();
        corpus.extremeNumbers();
        corpus.extremeTimes();
        corpus.encodings();
        corpus.sizes();
        corpus.nestingAndNames();
        return List.copyOf(corpus.messages);
    }

    /** A valid reading with its own event id, device and sequence. */
    ObjectNode base() {
        int n = next++;
        ObjectNode root = NODES.objectNode();
        root.put("event_id", "hostile-" + n);
        root.put("device_id", "dev-hostile-" + (n % 7));
        root.put("sequence", n);
        root.put("event_time", now.minus(Duration.ofSeconds(600 - (n % 600))).toString());
        root.put("firmware_version", "4.2.1");
        root.putObject("engine").put("on", true).put("rpm", 820).put("coolant_temp_c", 90.5);
        ObjectNode doors = root.putObject("doors").put("locked", true);
        for (String door : new String[] {"front_left", "front_right", "rear_left", "rear_right", "trunk"}) {
            doors.putObject(door).put("open", false);
        }
        root.putObject("lights").putObject("headlights").put("on", false);
        root.putObject("battery").put("voltage_v", 12.4).put("state_of_charge_pct", 81);
        root.putObject("location").put("latitude", 52.52).put("longitude", 13.405).put("speed_kph", 30).putNull("heading_deg");
        root.putArray("diagnostics").addObject().put("code", "P0562").put("severity", "warning");
        return root;
    }

    private void add(String name, ObjectNode message) {
        add(name, bytes(message));
    }

    private void add(String name, byte[] bytes) {
        messages.add(new Message(name, bytes));
    }

    private void with(String name, String path, JsonNode value) {
        ObjectNode message = base();
        set(message, path, value);
        add(name, message);
    }

    private void mutate(String name, Consumer<ObjectNode> change) {
        ObjectNode message = base();
        change.accept(message);
        add(name, message);
    }

    private void everyTypeInEveryField() {
        List<JsonNode> values = List.of(NODES.nullNode(), NODES.booleanNode(true), NODES.booleanNode(false), NODES.numberNode(0),
                NODES.numberNode(-1), NODES.numberNode(1.5), NODES.textNode(""), NODES.textNode("text"), NODES.arrayNode(),
                NODES.objectNode(), NODES.arrayNode().add(1).add("two"), NODES.objectNode().put("a", 1));
        for (String path : PATHS) {
            for (JsonNode value : values) {
                with(path + " = " + value, path, value);
            }
            mutate(path + " absent", message -> remove(message, path));
        }
    }

    private void extremeNumbers() {
        List<String> literals = List.of("1e308", "1e400", "-1e400", "4.9e-324", "1e-400", "-0.0", "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "2147483648", "-2147483649", "1" + "0".repeat(400), "0.1e999999999",
                "1e-999999999", "1.0", "3e2", "0x10", "NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "1e");
        for (String path : NUMBERS) {
            for (String literal : literals) {
                ObjectNode message = base();
                set(message, path, NODES.textNode("\u0000PLACEHOLDER\u0000"));
                String text = new String(bytes(message), StandardCharsets.UTF_8).replace("\"\\u0000PLACEHOLDER\\u0000\"", literal);
                add(path + " = " + abbreviate(literal), text.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void extremeTimes() {
        List<JsonNode> times = new ArrayList<>(List.of(NODES.numberNode(0L), NODES.numberNode(-1L), NODES.numberNode(Long.MAX_VALUE),
                NODES.numberNode(Long.MIN_VALUE), NODES.numberNode(now.toEpochMilli() * 1000), NODES.numberNode(now.getEpochSecond()),
                NODES.numberNode(253402300799999L), NODES.numberNode(-62135596800000L), NODES.numberNode(now.toEpochMilli() + 0.5)));
        for (String text : List.of("+1000000000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
                "0000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-01-01T24:00:00Z", "2026-01-01T00:00:60Z", "2026-01-01", "2026-01-01T00:00:00", "2026-01-01T00:00:00+25:00",
                "2026-01-01T00:00:00.123456789Z", "yesterday", "", " " + now, now + " ")) {
            times.add(NODES.textNode(text));
        }
        times.add(NODES.textNode(now.plus(Duration.ofDays(3650)).toString()));
        times.add(NODES.textNode(now.plus(Duration.ofHours(2)).toString()));
        times.add(NODES.textNode(now.minus(Duration.ofDays(365 * 40)).toString()));
        for (JsonNode time : times) {
            with("event_time = " + abbreviate(time.toString()), "event_time", time);
        }
    }

    private void encodings() {
        byte[] plain = bytes(base());
        add("UTF-8 byte order mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, plain));
        for (Charset charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, Charset.forName("UTF-32BE"))) {
            add("encoded as " + charset.name(), new String(bytes(base()), StandardCharsets.UTF_8).getBytes(charset));
        }
        add("encoded as ISO-8859-1 with a non-ASCII letter", text(base(), "firmware_version", "f\u00fcnf").getBytes(StandardCharsets.ISO_8859_1));
        for (String path : STRINGS) {
            for (String odd : List.of("\u0000", "a\u0000b", "\u001f\u007f", "\ud800", "\udfff x", "\ud83d\ude97", "\u202eevil",
                    "\ufeff", "\uffff", "line\nbreak", "' OR 1=1 --", "<script>", "${jndi:ldap://127.0.0.1/x}", "%s%n", "..\\..\\etc",
                    "\u0130\u0131", "a".repeat(300))) {
                with(path + " = " + abbreviate(JSON.valueToTree(odd).toString()), path, NODES.textNode(odd));
            }
        }
        // Bytes that are not UTF-8 inside a string, and a truncated multi-byte sequence.
        for (byte[] invalid : List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {
            ObjectNode message = base();
            message.put("firmware_version", "@@");
            byte[] bytes = bytes(message);
            add("invalid UTF-8 " + hex(invalid) + " in a string", replace(bytes, "@@".getBytes(StandardCharsets.UTF_8), invalid));
        }
        add("a NUL byte after the document", concat(plain, new byte[] {0}));
        add("two documents", concat(plain, plain));
        add("truncated", java.util.Arrays.copyOf(plain, plain.length / 2));
        add("a JSON string", "\"reading\"".getBytes(StandardCharsets.UTF_8));
        add("a JSON array of readings", ("[" + new String(plain, StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8));
        add("a JSON number", "42".getBytes(StandardCharsets.UTF_8));
        add("JSON null", "null".getBytes(StandardCharsets.UTF_8));
        add("whitespace only", " \n\t ".getBytes(StandardCharsets.UTF_8));
        add("comments", ("/* x */" + new String(plain, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        add("single quotes", new String(plain, StandardCharsets.UTF_8).replace('"', '\'').getBytes(StandardCharsets.UTF_8));
        add("trailing comma", new String(plain, StandardCharsets.UTF_8).replaceFirst("}$", ",}").getBytes(StandardCharsets.UTF_8));
        add("a duplicate field", new String(plain, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"sequence\":1,").getBytes(StandardCharsets.UTF_8));
        add("random bytes", new java.util.Random(7).ints(200, 0, 256).collect(ByteArrayOutputStream::new,
                (out, b) -> out.write(b), (a, b) -> a.write(b.toByteArray(), 0, b.size())).toByteArray());
    }

    private void sizes() {
        add("no bytes", new byte[0]);
        add("one byte", new byte[] {'{'});
        add("an empty object", "{}".getBytes(StandardCharsets.UTF_8));
        add("at the size limit", padded(maxEventBytes));
        add("one byte over the size limit", padded(maxEventBytes + 1));
        add("ten times the size limit", padded(maxEventBytes * 10));
        int room = maxEventBytes - bytes(base()).length - 200;
        with("event_id near the size limit", "event_id", NODES.textNode("e".repeat(room)));
        with("device_id near the size limit", "device_id", NODES.textNode("d".repeat(room)));
        with("device_id of 257 characters", "device_id", NODES.textNode("d".repeat(257)));
        with("device_id of 128 four-byte characters", "device_id", NODES.textNode("\ud83d\ude97".repeat(128)));
        with("firmware_version near the size limit", "firmware_version", NODES.textNode("f".repeat(room)));
        with("a diagnostic message near the size limit", "diagnostics.0.message", NODES.textNode("m".repeat(room)));
        mutate("thousands of diagnostics", message -> {
            ArrayNode diagnostics = message.putArray("diagnostics");
            for (int i = 0; diagnostics.toString().length() < room - 100; i++) {
                diagnostics.addObject().put("code", "P" + i).put("severity", "info");
            }
        });
    }

    private void nestingAndNames() {
        for (int depth : new int[] {64, 500, 999, 1001, 5000}) {
            add("an unknown field nested " + depth + " objects deep", text(base(), "nested", "@@").replace("\"@@\"",
                    "{\"n\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes(StandardCharsets.UTF_8));
            add("an unknown field nested " + depth + " arrays deep", text(base(), "nested", "@@").replace("\"@@\"",
                    "[".repeat(depth) + "1" + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8));
        }
        add("a known object nested with 999 levels below it", text(base(), "engine.extra", "@@").replace("\"@@\"",
                "{\"n\":".repeat(999) + "1" + "}".repeat(999)).getBytes(StandardCharsets.UTF_8));
        for (String name : List.of("", " ", ".", "a.b", "engine.rpm", "Engine", "EVENT_ID", "event id", "\u0000", "\ud800",
                "\ud83d\ude97", "x".repeat(1000), "123", "__proto__", "$", "a\"b", "a/b", "a[0]", "_cdc", "extensions", "overflow",
                "vehicle", "source", "ingested_at", "enrichment_status", "partition", "row", "select")) {
            mutate("an unknown field named " + abbreviate(JSON.valueToTree(name).toString()), message -> message.put(name, 1));
            mutate("an unknown nested field named " + abbreviate(JSON.valueToTree(name).toString()),
                    message -> ((ObjectNode) message.get("engine")).put(name, "v"));
        }
        mutate("an unknown field in a diagnostic", message -> ((ObjectNode) message.get("diagnostics").get(0)).put("freeze_frame", 3));
        mutate("an unknown field holding every type", message -> message.putArray("mixed").add(1).add("a").add(true).addNull()
                .add(NODES.objectNode().put("k", 1.5)).add(NODES.arrayNode()));
        mutate("two hundred new fields", message -> {
            ObjectNode many = message.putObject("many");
            for (int i = 0; i < 200; i++) {
                many.put("field_" + i, i);
            }
        });
    }

    private byte[] padded(int size) {
        ObjectNode message = base();
        message.put("padding", "");
        int missing = size - bytes(message).length;
        message.put("padding", "p".repeat(Math.max(0, missing)));
        return bytes(message);
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        edit(root, path, (array, index) -> array.set(index, value), (object, name) -> object.set(name, value));
    }

    private static void remove(ObjectNode root, String path) {
        edit(root, path, ArrayNode::remove, ObjectNode::remove);
    }

    /** Walks to the parent of {@code path}'s last step, and edits it there as an array element or an object field. */
    private static void edit(ObjectNode root, String path, java.util.function.ObjIntConsumer<ArrayNode> inArray,
                             java.util.function.BiConsumer<ObjectNode, String> inObject) {
        String[] steps = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < steps.length - 1; i++) {
            parent = child(parent, steps[i]);
        }
        String last = steps[steps.length - 1];
        if (parent instanceof ArrayNode array) {
            inArray.accept(array, Integer.parseInt(last));
        } else {
            inObject.accept((ObjectNode) parent, last);
        }
    }

    private static JsonNode child(JsonNode parent, String step) {
        return parent.isArray() ? parent.get(Integer.parseInt(step)) : parent.get(step);
    }

    private static String text(ObjectNode message, String path, String value) {
        set(message, path, NODES.textNode(value));
        return new String(bytes(message), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static byte[] replace(byte[] bytes, byte[] target, byte[] replacement) {
        for (int i = 0; i + target.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + target.length, target, 0, target.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(bytes, 0, i);
                out.writeBytes(replacement);
                out.write(bytes, i + target.length, bytes.length - i - target.length);
                return out.toByteArray();
            }
        }
        throw new IllegalArgumentException("target not found");
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02X", b));
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
