package dev.tributary.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one rule for what is a secret, used wherever a configuration value, a client property, a step
 * argument or a destination could be printed: descriptions, logs, error messages, EMR step
 * arguments, dead-letter headers. A key is secret when its value may hold a password, a token, a
 * credential, key material, a JAAS configuration, or a webhook URL (webhook URLs often carry their
 * token in the path or the query).
 */
public final class SecretKeys {
    /** What a masked value prints as. */
    public static final String MASK = "******";

    /** Parts of a key (lower case) that make it secret wherever they appear in it. */
    private static final List<String> SECRET_PARTS = List.of(
            "password", "passwd", "secret", "token", "credential", "jaas",
            "access-key", "access.key", "access_key", "accesskey",
            "private-key", "private.key", "private_key", "privatekey",
            "api-key", "api.key", "api_key", "apikey",
            "keystore.key", "connection-string", "connection.string", "connectionstring",
            "user.info", "userinfo", "webhook");

    /** Endings of keys that name where a secret is kept (a Secrets Manager id, an environment variable), not the secret. */
    private static final List<String> REFERENCE_ENDINGS = List.of("secret-id", "secret-arn", "secret-name", "-env");

    private SecretKeys() {}

    /**
     * Whether a key's value is a secret: never printed, refused where it would be shown (EMR step
     * arguments). Keys of any of our configurations, of Kafka, Iceberg, Debezium or AWS clients alike.
     */
    public static boolean isSecret(String key) {
        if (key == null) {
            return false;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        for (String ending : REFERENCE_ENDINGS) {
            if (lower.endsWith(ending)) {
                return false;
            }
        }
        for (String part : SECRET_PARTS) {
            if (lower.contains(part)) {
                return true;
            }
        }
        // Key material under a plain name: ssl.key, tls.key (a PEM private key).
        return lower.equals("key") || lower.endsWith(".key");
    }

    /**
     * The value as it may be printed: itself when the key is not secret; for a secret URL (a webhook)
     * its scheme and host only, so that an operator still sees where it points; else {@link #MASK}.
     */
    public static String shown(String key, String value) {
        if (value == null || !isSecret(key)) {
            return value;
        }
        return looksLikeUrl(value) ? maskUrl(value) : MASK;
    }

    /** A copy of {@code values} in their order, each value {@link #shown(String, String) as it may be printed}. */
    public static Map<String, String> shown(Map<String, String> values) {
        Map<String, String> shown = new LinkedHashMap<>();
        values.forEach((key, value) -> shown.put(key, shown(key, value)));
        return shown;
    }

    /**
     * {@code https://hooks.example.com/******}: scheme, host and port of a URL, everything else (user
     * info, path, query, fragment: where tokens travel) masked. What does not parse is masked whole.
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return MASK;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + "/" + MASK;
        } catch (URISyntaxException e) {
            return MASK;
        }
    }

    /** {@link #maskUrl(String)} of a URI. */
    public static String maskUrl(URI url) {
        return url == null ? null : maskUrl(url.toString());
    }

    /**
     * {@code text} with the URL {@code url} masked wherever it occurs, whole or as its path and query
     * (for error messages of HTTP clients, which may quote either).
     */
    public static String withoutUrl(String text, URI url) {
        if (text == null || url == null) {
            return text;
        }
        String result = text.replace(url.toString(), maskUrl(url));
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String query = url.getRawQuery();
        if (query != null) {
            result = result.replace(path + "?" + query, "/" + MASK).replace(query, MASK);
        }
        if (path.length() > 1) {
            result = result.replace(path, "/" + MASK);
        }
        return result;
    }

    private static boolean looksLikeUrl(String value) {
        int colon = value.indexOf("://");
        return colon > 0 && value.substring(0, colon).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.');
    }
}
