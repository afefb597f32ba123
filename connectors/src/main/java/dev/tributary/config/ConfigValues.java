package dev.tributary.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads over flat configuration keys (a properties file plus {@code --set} overrides);
 * every failure names its key and value. Shared by the pipeline's and the capture service's
 * configurations.
 */
public final class ConfigValues {
    private final Map<String, String> values;

    public ConfigValues(Map<String, String> values) {
        this.values = requireNonNull(values, "values is null");
    }

    /** The keys of a properties file, with {@code overrides} on top. */
    public static Map<String, String> load(Path file, Map<String, String> overrides) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return load(reader, overrides);
        }
    }

    /** The keys of properties text (a file's content, an object read from S3), with {@code overrides} on top. */
    public static Map<String, String> load(Reader reader, Map<String, String> overrides) throws IOException {
        Properties properties = new Properties();
        properties.load(reader);
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        values.putAll(overrides);
        return values;
    }

    /** Refuses a key that is neither one of {@code keys} nor under one of {@code prefixes}: a typo must not pass silently. */
    public void requireKnown(Set<String> keys, String... prefixes) {
        for (String key : values.keySet()) {
            if (keys.contains(key)) {
                continue;
            }
            boolean prefixed = false;
            for (String prefix : prefixes) {
                prefixed |= key.startsWith(prefix);
            }
            if (!prefixed) {
                throw new ConfigException("Unknown configuration key '" + key + "' (value '" + SecretKeys.shown(key, values.get(key)) + "'); known keys: "
                        + new TreeSet<>(keys) + (prefixes.length == 0 ? "" : ", and keys under " + String.join(", ", prefixes)));
            }
        }
    }

    /** Whether the key is set to a value that is not blank. */
    public boolean isSet(String key) {
        return string(key, null) != null;
    }

    /** The keys under {@code prefix}, with the prefix taken off, in their order. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                found.put(key.substring(prefix.length()), value);
            }
        });
        return found;
    }

    public String string(String key, String defaultValue) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return value.trim();
    }

    public String required(String key) {
        String value = string(key, null);
        if (value == null) {
            throw new ConfigException("Missing required configuration key '" + key + "'");
        }
        return value;
    }

    /** A comma-separated list; empty when the key is absent. */
    public List<String> list(String key) {
        String value = string(key, null);
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new ConfigException(key, value, "expected true or false");
    }

    public int positiveInt(String key, int defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, value, "expected a positive integer");
    }

    /** A number in (0, 1]. */
    public double fraction(String key, double defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (parsed > 0 && parsed <= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, value, "expected a number greater than 0 and at most 1");
    }

    /** A duration that is not negative; zero is allowed (it turns things off). */
    public Duration duration(String key, String defaultValue) {
        String value = string(key, defaultValue);
        Duration duration = Durations.parse(key, value);
        if (duration.isNegative()) {
            throw new ConfigException(key, value, "expected a duration that is not negative");
        }
        return duration;
    }

    public Duration positiveDuration(String key, String defaultValue) {
        Duration duration = duration(key, defaultValue);
        if (duration.isZero()) {
            throw new ConfigException(key, string(key, defaultValue), "expected a duration greater than zero");
        }
        return duration;
    }

    /** One of an enum's constants, written in lower case with dashes ({@code dead-letter}). */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            StringBuilder choices = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                choices.append(choices.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw new ConfigException(key, value, "expected one of " + choices);
        }
    }
}
