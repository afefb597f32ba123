package dev.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class SecretsManagerSecretsTest {
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_tributary-AbCdEf";
    private static final String SECRET = "{\"username\":\"tributary\",\"password\":\"pa55-w0rd\"}";

    private static SecretsManagerSecrets secrets(SecretsManagerStub stub) {
        return new SecretsManagerSecrets(Region.EU_WEST_1, stub.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")));
    }

    @Test
    void getSecretValueIsOneSignedJsonRequestForTheSecretId() throws Exception {
        try (SecretsManagerStub stub = new SecretsManagerStub(ARN, SECRET)) {
            assertThat(secrets(stub).secretString(ARN)).isEqualTo(SECRET);

            assertThat(stub.received()).hasSize(1);
            SecretsManagerStub.Request request = stub.received().get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/");
            assertThat(request.headers()).containsEntry("x-amz-target", "secretsmanager.GetSecretValue")
                    .containsEntry("content-type", "application/x-amz-json-1.1");
            assertThat(new ObjectMapper().readValue(request.body(), Map.class)).isEqualTo(Map.of("SecretId", ARN));
            assertThat(request.headers().get("authorization"))
                    .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                    .contains("/eu-west-1/secretsmanager/aws4_request")
                    .contains("x-amz-target");
        }
    }

    @Test
    void aMissingSecretIsNamedWithTheServicesReason() throws Exception {
        String other = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_missing-XyZ123";
        try (SecretsManagerStub stub = new SecretsManagerStub(ARN, SECRET)) {
            assertThatThrownBy(() -> secrets(stub).secretString(other))
                    .isInstanceOf(Secrets.SecretUnavailableException.class)
                    .hasMessageContaining(other)
                    .hasMessageContaining("ResourceNotFoundException")
                    .hasMessageContaining("can't find the specified secret")
                    .hasMessageNotContaining("pa55-w0rd");
        }
    }

    @Test
    void theRegionComesFromTheArnUnlessGiven() {
        assertThat(SecretsManagerSecrets.regionOf(ARN)).isEqualTo("eu-west-1");
        assertThat(SecretsManagerSecrets.regionOf("AmazonMSK_tributary")).isNull();
    }
}
