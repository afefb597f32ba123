package dev.tributary.jobs;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.ConfigException;
import dev.tributary.config.ConfigValues;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Where {@code JobLauncher --config} reads the pipeline's properties: a local file, or an object in
 * Amazon S3 ({@code s3://bucket/key}, or {@code s3a://bucket/key} as Hadoop spells it). S3 is read with
 * the SDK's default credential and region chains: the instance role and the instance's region on EMR.
 * An endpoint set through {@code AWS_ENDPOINT_URL_S3} (or {@code aws.endpointUrlS3}) is addressed path-style,
 * as S3-compatible servers expect.
 */
public sealed interface ConfigSource {
    /** The option the location comes from, named in errors. */
    String OPTION = "--config";

    /** The properties with {@code overrides} on top; a {@link ConfigException} naming the location when they cannot be read. */
    Map<String, String> read(Map<String, String> overrides);

    /** A local file, or an S3 object when {@code location} starts with {@code s3://} or {@code s3a://}. */
    static ConfigSource parse(String location) {
        return parse(location, ConfigSource::defaultS3Client);
    }

    /** As {@link #parse(String)}, with the S3 client {@code s3} makes (created only when an S3 object is read). */
    static ConfigSource parse(String location, Supplier<S3Client> s3) {
        requireNonNull(location, "location is null");
        if (location.startsWith("s3://") || location.startsWith("s3a://")) {
            S3Location object = S3Location.parse(OPTION, location);
            if (object.isPrefix()) {
                throw new ConfigException(OPTION, location, "expected " + location.substring(0, location.indexOf("://") + 3) + "bucket/key");
            }
            return new S3Object(location, object.bucket(), object.key(), s3);
        }
        if (location.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new ConfigException(OPTION, location, "expected a local file, s3://bucket/key or s3a://bucket/key");
        }
        return new LocalFile(Path.of(location));
    }

    /** A properties file on this machine. */
    record LocalFile(Path file) implements ConfigSource {
        public LocalFile {
            requireNonNull(file, "file is null");
        }

        @Override
        public Map<String, String> read(Map<String, String> overrides) {
            if (!Files.isReadable(file)) {
                throw new ConfigException(OPTION, file.toString(), "no readable file there");
            }
            try {
                return ConfigValues.load(file, overrides);
            } catch (IOException e) {
                throw new ConfigException(OPTION, file.toString(), "could not be read: " + e.getMessage());
            }
        }
    }

    /** A properties object in S3; {@code location} is the URI as given. */
    record S3Object(String location, String bucket, String key, Supplier<S3Client> s3) implements ConfigSource {
        public S3Object {
            requireNonNull(location, "location is null");
            requireNonNull(bucket, "bucket is null");
            requireNonNull(key, "key is null");
            requireNonNull(s3, "s3 is null");
        }

        @Override
        public Map<String, String> read(Map<String, String> overrides) {
            String text;
            try (S3Client client = s3.get()) {
                text = client.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build()).asString(StandardCharsets.UTF_8);
            } catch (NoSuchKeyException e) {
                throw new ConfigException(OPTION, location, "no object with key '" + key + "' in bucket '" + bucket + "'");
            } catch (NoSuchBucketException e) {
                throw new ConfigException(OPTION, location, "no bucket '" + bucket + "'");
            } catch (S3Exception e) {
                String code = e.awsErrorDetails() == null ? "no error code" : e.awsErrorDetails().errorCode();
                throw new ConfigException(OPTION, location, "S3 refused to read it (HTTP " + e.statusCode() + ", " + code + ")");
            } catch (SdkException e) {
                throw new ConfigException(OPTION, location, "could not be read from S3: " + e.getMessage());
            }
            try {
                return ConfigValues.load(new StringReader(text), overrides);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static S3Client defaultS3Client() {
        boolean endpointOverridden = System.getenv("AWS_ENDPOINT_URL_S3") != null || System.getenv("AWS_ENDPOINT_URL") != null
                || System.getProperty("aws.endpointUrlS3") != null || System.getProperty("aws.endpointUrl") != null;
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .forcePathStyle(endpointOverridden)
                .build();
    }
}
