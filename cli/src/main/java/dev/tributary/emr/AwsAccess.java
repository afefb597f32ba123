package dev.tributary.emr;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.ConfigException;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How the CLI reaches AWS: the region (given, or the SDK's default chain: AWS_REGION, the profile), an
 * optional endpoint that replaces every service's own (as the AWS CLI's {@code --endpoint-url}, for tests
 * and S3-compatible servers; S3 is then addressed path-style) and the default credential chain.
 */
public record AwsAccess(Optional<String> region, Optional<URI> endpoint) {
    public AwsAccess {
        requireNonNull(region, "region is null");
        requireNonNull(endpoint, "endpoint is null");
    }

    public EmrClient emr() {
        var builder = EmrClient.builder().region(resolvedRegion()).httpClient(UrlConnectionHttpClient.create());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public S3Client s3() {
        var builder = S3Client.builder().region(resolvedRegion()).httpClient(UrlConnectionHttpClient.create());
        endpoint.ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
        return builder.build();
    }

    private Region resolvedRegion() {
        if (region.isPresent()) {
            return Region.of(region.get());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new ConfigException("No AWS region: pass --region, or set AWS_REGION or a region in the AWS profile");
        }
    }
}
