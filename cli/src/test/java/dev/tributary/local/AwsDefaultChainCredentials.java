package dev.tributary.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts a key pair where the AWS SDK's default credentials chain looks first, the system properties
 * {@code aws.accessKeyId} and {@code aws.secretAccessKey}, for code that takes its credentials from
 * that chain (the jobs' S3FileIO and Glue client, as on EMR); and turns off the chain's EC2 instance
 * metadata look-up, which has no place in a test. {@link #close()} restores what was there.
 */
public final class AwsDefaultChainCredentials implements AutoCloseable {
    private final Map<String, String> previous = new LinkedHashMap<>();

    public AwsDefaultChainCredentials(String accessKeyId, String secretAccessKey) {
        set("aws.accessKeyId", accessKeyId);
        set("aws.secretAccessKey", secretAccessKey);
        set("aws.disableEc2Metadata", "true");
    }

    private void set(String name, String value) {
        previous.put(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    @Override
    public void close() {
        previous.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }
}
