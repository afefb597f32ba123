package dev.tributary.config;

/** A configuration value that cannot be used. The message names the key and the value. */
public final class ConfigException extends IllegalArgumentException {
    /** The value is masked when the key is secret ({@link SecretKeys}). */
    public ConfigException(String key, String value, String expected) {
        super("Invalid value '" + SecretKeys.shown(key, value) + "' for key '" + key + "': " + expected);
    }

    public ConfigException(String message) {
        super(message);
    }
}
