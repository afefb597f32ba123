package dev.tributary.jobs;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.ConfigException;

/** An S3 bucket and key (a key ending with '/' is a prefix), as {@code s3://bucket/key}. */
public record S3Location(String bucket, String key) {
    public S3Location {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("bucket is empty");
        }
    }

    /** {@code s3://bucket/key} or {@code s3a://bucket/key}; errors name {@code option} and the value. */
    public static S3Location parse(String option, String uri) {
        for (String scheme : new String[] {"s3://", "s3a://"}) {
            if (uri.startsWith(scheme)) {
                String path = uri.substring(scheme.length());
                int slash = path.indexOf('/');
                String bucket = slash < 0 ? path : path.substring(0, slash);
                if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                    throw new ConfigException(option, uri, "expected s3://bucket/key with a valid bucket name");
                }
                return new S3Location(bucket, slash < 0 ? "" : path.substring(slash + 1));
            }
        }
        throw new ConfigException(option, uri, "expected s3://bucket/key");
    }

    /** Whether this names a prefix (or the bucket itself) rather than one object. */
    public boolean isPrefix() {
        return key.isEmpty() || key.endsWith("/");
    }

    /** This prefix with {@code name} appended (a '/' added between when missing). */
    public S3Location resolve(String name) {
        return new S3Location(bucket, key.isEmpty() || key.endsWith("/") ? key + name : key + "/" + name);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
