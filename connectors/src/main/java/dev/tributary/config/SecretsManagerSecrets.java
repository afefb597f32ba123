package dev.tributary.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Secrets from AWS Secrets Manager (AWS SDK for Java v2, {@code GetSecretValue}, the current
 * version): one client per read, since secrets are read once, at start-up. Credentials come from
 * the default AWS chain; the region from the secret's ARN unless given.
 */
public final class SecretsManagerSecrets implements Secrets {
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\\d{12}:secret:.+");

    private final Region region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;

    /**
     * @param region the region to call
     * @param endpoint an endpoint override (a VPC endpoint, a test server), or null for AWS's
     */
    public SecretsManagerSecrets(Region region, URI endpoint, AwsCredentialsProvider credentials) {
        this.region = requireNonNull(region, "region is null");
        this.endpoint = endpoint;
        this.credentials = requireNonNull(credentials, "credentials is null");
    }

    /**
     * The secrets of {@code region}; when it is null, of the region in {@code secretId} if that is an
     * ARN, else of the default AWS region chain ({@code AWS_REGION}, the profile, the instance's).
     */
    public static SecretsManagerSecrets forSecret(String secretId, String region, URI endpoint) {
        return new SecretsManagerSecrets(regionFor(secretId, region), endpoint, DefaultCredentialsProvider.builder().build());
    }

    /** The region of a secret ARN, or null when {@code secretId} is a name. */
    public static String regionOf(String secretId) {
        Matcher matcher = ARN.matcher(secretId);
        return matcher.matches() ? matcher.group(1) : null;
    }

    private static Region regionFor(String secretId, String region) {
        if (region != null) {
            return Region.of(region);
        }
        String fromArn = regionOf(secretId);
        if (fromArn != null) {
            return Region.of(fromArn);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            throw new SecretUnavailableException("secret '" + secretId + "' is a name, not an ARN, and no AWS region is configured: "
                    + "give its ARN or the region (" + e.getMessage() + ")");
        }
    }

    @Override
    public String secretString(String secretId) {
        requireNonNull(secretId, "secretId is null");
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(configuration -> configuration.apiCallTimeout(Duration.ofSeconds(30)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        GetSecretValueResponse response;
        try (SecretsManagerClient client = builder.build()) {
            response = client.getSecretValue(GetSecretValueRequest.builder().secretId(secretId).build());
        } catch (AwsServiceException e) {
            throw new SecretUnavailableException("AWS Secrets Manager (" + region + ") refused to give secret '" + secretId + "': "
                    + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage());
        } catch (SdkException e) {
            throw new SecretUnavailableException("cannot read secret '" + secretId + "' from AWS Secrets Manager (" + region + "): " + safeReason(e));
        }
        if (response.secretString() == null) {
            throw new SecretUnavailableException("secret '" + secretId + "' holds binary data, not text");
        }
        return response.secretString();
    }

    /** The client error's message, unless it comes from reading an answer (which would hold the secret). */
    private static String safeReason(SdkException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getName().contains("Json") || String.valueOf(cause.getMessage()).contains("unmarshall")) {
                return "its answer could not be read";
            }
        }
        return e.getMessage();
    }
}
