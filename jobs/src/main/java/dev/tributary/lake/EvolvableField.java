package dev.tributary.lake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.regex.Pattern;

/**
 * Whether a field that drift checking found may become a lake column: every output and every
 * reader of the lake must take it as it is. Column names are lower-case letters, digits and
 * underscores, starting with a letter or underscore, at most {@value #MAX_NAME_LENGTH} characters
 * (AWS Glue keeps column names in lower case, and Trino and Athena match them without regard to
 * case, so a name that differs from another only in case, or holds a dot, a space or an empty
 * name, would make the table unreadable there); and a new column nests at most {@value #MAX_DEPTH}
 * levels of objects and arrays. A field that fails is kept in the reading's {@code overflow} instead.
 */
public final class EvolvableField {
    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_DEPTH = 16;
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private EvolvableField() {
    }

    /** Why {@code name} holding {@code value} cannot become a column, or null when it can. */
    public static String whyNot(String name, JsonNode value) {
        String problem = nameProblem(name);
        return problem != null ? problem : valueProblem(value, name, 1);
    }

    private static String nameProblem(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            return "a column name longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (!NAME.matcher(name).matches()) {
            return "'" + printable(name) + "' is not a column name (lower-case letters, digits and underscores)";
        }
        return null;
    }

    private static String valueProblem(JsonNode value, String path, int depth) {
        if (!value.isContainerNode()) {
            return null;
        }
        if (depth > MAX_DEPTH) {
            return "nested more than " + MAX_DEPTH + " levels deep at " + printable(path);
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                String problem = valueProblem(element, path + "[]", depth + 1);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        for (Iterator<java.util.Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            java.util.Map.Entry<String, JsonNode> field = fields.next();
            String problem = nameProblem(field.getKey());
            if (problem == null) {
                problem = valueProblem(field.getValue(), path + "." + field.getKey(), depth + 1);
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(60).forEach(c -> out.append(Character.isISOControl(c) || Character.isSurrogate((char) c)
                ? String.format("\\u%04x", c) : Character.toString(c)));
        return text.length() > 60 ? out + "..." : out.toString();
    }
}
