package dev.tributary.emr;

import dev.tributary.jobs.S3Location;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Puts the jobs jar in S3 unless the object there is already this jar: same size and the same SHA-256,
 * which each upload stores in the object's metadata ({@code x-amz-meta-sha256}).
 */
public final class JarUpload {
    /** The metadata key of the jar's SHA-256 (hex). */
    public static final String SHA256_METADATA = "sha256";

    /** What happened: where the jar is, whether it was sent now, its size and SHA-256. */
    public record Result(S3Location location, boolean uploaded, long bytes, String sha256) {
        public Result {
            requireNonNull(location, "location is null");
            requireNonNull(sha256, "sha256 is null");
        }
    }

    private final S3Client s3;

    public JarUpload(S3Client s3) {
        this.s3 = requireNonNull(s3, "s3 is null");
    }

    public Result ensure(Path jar, S3Location target) throws IOException {
        long bytes = Files.size(jar);
        String sha256 = sha256(jar);
        HeadObjectResponse existing = head(target);
        if (existing != null && existing.contentLength() == bytes && sha256.equals(existing.metadata().get(SHA256_METADATA))) {
            return new Result(target, false, bytes, sha256);
        }
        s3.putObject(PutObjectRequest.builder()
                        .bucket(target.bucket())
                        .key(target.key())
                        .contentType("application/java-archive")
                        .metadata(Map.of(SHA256_METADATA, sha256))
                        .build(),
                RequestBody.fromFile(jar));
        return new Result(target, true, bytes, sha256);
    }

    /** The object's metadata, or null when there is no object at {@code location}. */
    private HeadObjectResponse head(S3Location location) {
        try {
            return s3.headObject(HeadObjectRequest.builder().bucket(location.bucket()).key(location.key()).build());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
