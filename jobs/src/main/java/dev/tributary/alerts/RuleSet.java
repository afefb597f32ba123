package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tributary.config.ConfigException;
import dev.tributary.config.Durations;
import dev.tributary.telemetry.ReadingField;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a pipeline, read from a YAML file and validated once, at start-up: every error
 * names the file, the rule and the field. The format is in README.md ("Alert rules"); the
 * bundled {@code fleet-rules.yaml} is the default.
 */
public record RuleSet(List<Rule> rules, int maxAlertsPerEntityPerHour) implements java.io.Serializable {
    public static final String BUNDLED = "fleet-rules.yaml";
    private static final Set<String> TOP_KEYS = Set.of("rules", "defaults", "limits");
    private static final Set<String> RULE_KEYS = Set.of("name", "when", "for", "severity", "escalate", "suppress_for", "explanation");
    private static final Set<String> ESCALATE_KEYS = Set.of("after", "when");
    private static final Set<String> SEVERITIES = Set.of(Rule.WARNING, Rule.ALARM);
    /** Fields a rule may not read: their values would travel in alerts. */
    private static final List<String> PERSONAL = List.of("reservation.customer_id");

    public RuleSet {
        rules = List.copyOf(rules);
        if (maxAlertsPerEntityPerHour <= 0) {
            throw new IllegalArgumentException("maxAlertsPerEntityPerHour must be positive");
        }
    }

    /** The bundled rules. */
    public static RuleSet bundled() {
        try (InputStream in = RuleSet.class.getResourceAsStream(BUNDLED)) {
            return parse(requireNonNull(in, "bundled rules missing"), "bundled " + BUNDLED);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled rules", e);
        }
    }

    public static RuleSet load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new ConfigException("rules file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    public static RuleSet parse(InputStream in, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new ConfigException("rules file " + source + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return new Reader(source).read(root);
    }

    public Rule rule(String name) {
        return rules.stream().filter(rule -> rule.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no rule " + name));
    }

    public int indexOf(String name) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The same rules with one rule's duration replaced; unchanged when there is no such rule. */
    public RuleSet withHoldFor(String name, Duration duration) {
        List<Rule> changed = new ArrayList<>();
        for (Rule rule : rules) {
            changed.add(rule.name().equals(name) ? rule.withHoldFor(duration) : rule);
        }
        return new RuleSet(changed, maxAlertsPerEntityPerHour);
    }

    /** Reads one file, naming it, the rule and the field in every error. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        RuleSet read(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw error(null, null, "expected a mapping with 'rules'");
            }
            unknownKeys(root, TOP_KEYS, null, "the file");
            JsonNode defaults = root.path("defaults");
            unknownKeys(defaults, Set.of("suppress_for"), null, "defaults");
            Duration suppressFor = duration(defaults.path("suppress_for"), "15m", null, "defaults.suppress_for");
            JsonNode limits = root.path("limits");
            unknownKeys(limits, Set.of("max_alerts_per_entity_per_hour"), null, "limits");
            int maxPerHour = limits.path("max_alerts_per_entity_per_hour").asInt(6);
            if (maxPerHour <= 0) {
                throw error(null, "limits.max_alerts_per_entity_per_hour", "expected a positive number");
            }
            JsonNode list = root.path("rules");
            if (!list.isArray() || list.isEmpty()) {
                throw error(null, "rules", "expected a list of rules");
            }
            List<Rule> rules = new ArrayList<>();
            Set<String> names = new HashSet<>();
            int position = 0;
            for (JsonNode node : list) {
                position++;
                Rule rule = rule(node, position, suppressFor);
                if (!names.add(rule.name())) {
                    throw error(rule.name(), "name", "another rule has this name");
                }
                rules.add(rule);
            }
            return new RuleSet(rules, maxPerHour);
        }

        private Rule rule(JsonNode node, int position, Duration defaultSuppressFor) {
            if (!node.isObject()) {
                throw error("#" + position, null, "expected a mapping");
            }
            String name = node.path("name").asText("");
            if (!name.matches("[a-z][a-z0-9_]*")) {
                throw error(name.isEmpty() ? "#" + position : name, "name", "expected lower-case letters, digits and underscores (it names the alert type)");
            }
            unknownKeys(node, RULE_KEYS, name, "the rule");
            List<Condition> conditions = conditions(node.path("when"), name, "when");
            if (conditions.isEmpty()) {
                throw error(name, "when", "expected at least one condition");
            }
            Duration holdFor = duration(node.path("for"), "0s", name, "for");
            String severity = node.path("severity").asText(Rule.WARNING);
            if (!SEVERITIES.contains(severity)) {
                throw error(name, "severity", "expected warning or alarm, found '" + severity + "'");
            }
            JsonNode escalate = node.path("escalate");
            Duration escalateAfter = null;
            List<Condition> escalateConditions = List.of();
            if (!escalate.isMissingNode()) {
                if (severity.equals(Rule.ALARM)) {
                    throw error(name, "escalate", "an alarm cannot escalate further");
                }
                unknownKeys(escalate, ESCALATE_KEYS, name, "escalate");
                if (escalate.has("after")) {
                    escalateAfter = duration(escalate.get("after"), null, name, "escalate.after");
                }
                escalateConditions = conditions(escalate.path("when"), name, "escalate.when");
                if (escalateAfter == null && escalateConditions.isEmpty()) {
                    throw error(name, "escalate", "expected 'after' or 'when'");
                }
            }
            Duration suppressFor = node.has("suppress_for") ? duration(node.get("suppress_for"), null, name, "suppress_for") : defaultSuppressFor;
            String explanation = node.path("explanation").asText(name.replace('_', ' '));
            return new Rule(name, conditions, holdFor, severity, escalateAfter, escalateConditions, suppressFor, explanation);
        }

        private List<Condition> conditions(JsonNode list, String rule, String key) {
            List<Condition> conditions = new ArrayList<>();
            if (list.isMissingNode()) {
                return conditions;
            }
            if (!list.isArray()) {
                throw error(rule, key, "expected a list of conditions such as {field: battery.voltage_v, below: 11.8}");
            }
            for (JsonNode node : list) {
                conditions.add(condition(node, rule, key));
            }
            return conditions;
        }

        private Condition condition(JsonNode node, String rule, String key) {
            String path = node.path("field").asText("");
            if (path.isEmpty()) {
                throw error(rule, key, "a condition has no 'field'");
            }
            if (PERSONAL.stream().anyMatch(path::startsWith)) {
                throw error(rule, "field " + path, "is personal data; alerts name vehicles and devices only");
            }
            List<ReadingField> fields;
            try {
                fields = ReadingField.resolve(path);
            } catch (IllegalArgumentException e) {
                throw error(rule, "field " + path, e.getMessage());
            }
            Condition.Comparison comparison = null;
            JsonNode operand = null;
            for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = entries.next();
                if (entry.getKey().equals("field")) {
                    continue;
                }
                Condition.Comparison found = comparison(entry.getKey());
                if (found == null) {
                    throw error(rule, "field " + path, "unknown comparison '" + entry.getKey() + "' (expected equals, not_equals, below, above, at_most or at_least)");
                }
                if (comparison != null) {
                    throw error(rule, "field " + path, "one comparison per condition");
                }
                comparison = found;
                operand = entry.getValue();
            }
            if (comparison == null) {
                throw error(rule, "field " + path, "no comparison (equals, not_equals, below, above, at_most or at_least)");
            }
            ReadingField.Kind kind = fields.get(0).kind();
            for (ReadingField field : fields) {
                if (field.kind() != kind) {
                    throw error(rule, "field " + path, "names fields of different types");
                }
            }
            Object value = switch (kind) {
                case NUMBER -> {
                    if (!operand.isNumber()) {
                        throw error(rule, "field " + path, "is a number; '" + comparison.key() + "' needs a number, found " + operand);
                    }
                    yield operand.asDouble();
                }
                case BOOLEAN -> {
                    if (comparison.ordering()) {
                        throw error(rule, "field " + path, "is a boolean; '" + comparison.key() + "' compares numbers (use equals or not_equals)");
                    }
                    if (!operand.isBoolean()) {
                        throw error(rule, "field " + path, "is a boolean; expected true or false, found " + operand);
                    }
                    yield operand.asBoolean();
                }
                case STRING -> {
                    if (comparison.ordering()) {
                        throw error(rule, "field " + path, "is a string; '" + comparison.key() + "' compares numbers (use equals or not_equals)");
                    }
                    if (!operand.isTextual()) {
                        throw error(rule, "field " + path, "is a string; expected text, found " + operand);
                    }
                    yield operand.asText();
                }
            };
            return new Condition(path, fields, comparison, value);
        }

        private static Condition.Comparison comparison(String key) {
            for (Condition.Comparison comparison : Condition.Comparison.values()) {
                if (comparison.key().equals(key)) {
                    return comparison;
                }
            }
            return null;
        }

        private Duration duration(JsonNode node, String defaultValue, String rule, String key) {
            String text = node.isMissingNode() || node.isNull() ? defaultValue : node.asText();
            if (text == null) {
                throw error(rule, key, "expected a duration such as 30s, 5m or 1h");
            }
            try {
                return Durations.parse(key, text);
            } catch (ConfigException e) {
                throw error(rule, key, "expected a duration such as 30s, 5m or 1h, found '" + text + "'");
            }
        }

        private void unknownKeys(JsonNode node, Set<String> known, String rule, String where) {
            if (node.isMissingNode()) {
                return;
            }
            if (!node.isObject()) {
                throw error(rule, where, "expected a mapping");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    String hint = ReadingField.closest(name, List.copyOf(known)).map(best -> " (did you mean " + best + "?)").orElse("");
                    throw error(rule, name, "unknown key in " + where + hint);
                }
            }
        }

        private ConfigException error(String rule, String field, String message) {
            StringBuilder text = new StringBuilder("rules file ").append(source);
            if (rule != null) {
                text.append(": rule ").append(rule);
            }
            if (field != null) {
                text.append(": ").append(field);
            }
            return new ConfigException(text.append(": ").append(message).toString());
        }
    }
}
