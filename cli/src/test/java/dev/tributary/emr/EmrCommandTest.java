package dev.tributary.emr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.cli.CommandRunner;
import dev.tributary.emr.FakeAws.Request;
import dev.tributary.emr.FakeAws.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tributary emr submit} and {@code emr status} against an in-test server standing in for EMR, S3
 * and YARN (--endpoint-url, --resource-manager-url), with static credentials: the exact requests the SDK
 * sends, and what the commands print.
 */
class EmrCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLUSTER = "j-1K48XXXXXXHCB";
    private static final String JAR_NAME = "tributary-jobs-0.1.0-SNAPSHOT-flink.jar";
    private static final String JAR_PATH = "/tributary-data/artifacts/" + JAR_NAME;
    private static final String CONFIG = "s3://tributary-data/artifacts/config/telemetry.properties";
    private static final String STEP_ID = "s-2V3PQ0SFEXAMPLE";

    @TempDir
    Path directory;

    private Path jar;

    @BeforeEach
    void credentialsAndJar() throws IOException {
        System.setProperty("aws.accessKeyId", "AKIDEMRTEST");
        System.setProperty("aws.secretAccessKey", "emr-test-secret");
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        jar = Files.write(directory.resolve(JAR_NAME), bytes);
    }

    @AfterEach
    void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void submitUploadsAMissingJarThenAddsTheStep() throws Exception {
        try (FakeAws aws = new FakeAws(answers(Optional.empty()))) {
            CommandRunner.Result result = submit(aws, "--set", "job.parallelism=4", "--set", "rules.file=/etc/tributary/fleet rules.yaml");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("Jar s3://tributary-data/artifacts/" + JAR_NAME + ": uploaded")
                    .contains("Step " + STEP_ID + " (tributary telemetry) added to cluster " + CLUSTER)
                    .endsWith(STEP_ID + "\n");
            assertThat(aws.calls()).containsExactly("HEAD " + JAR_PATH, "PUT " + JAR_PATH, "POST / ElasticMapReduce.AddJobFlowSteps");

            Request put = aws.requests().get(1);
            assertThat(put.payload()).isEqualTo(Files.readAllBytes(jar));
            assertThat(put.header("x-amz-meta-sha256")).isEqualTo(JarUpload.sha256(jar)).hasSize(64);
            assertThat(put.header("content-type")).isEqualTo("application/java-archive");
            assertThat(put.header("authorization")).contains("Credential=AKIDEMRTEST/").contains("/eu-west-1/s3/aws4_request");

            Request add = aws.requests().get(2);
            assertThat(add.header("content-type")).isEqualTo("application/x-amz-json-1.1");
            assertThat(add.header("authorization")).contains("Credential=AKIDEMRTEST/").contains("/eu-west-1/elasticmapreduce/aws4_request");
            String localJar = "/home/hadoop/tributary/" + JAR_NAME;
            JsonNode expected = JSON.createObjectNode()
                    .put("JobFlowId", CLUSTER)
                    .set("Steps", JSON.createArrayNode().add(JSON.createObjectNode()
                            .put("Name", "tributary telemetry")
                            .put("ActionOnFailure", "CONTINUE")
                            .set("HadoopJarStep", JSON.createObjectNode()
                                    .put("Jar", "command-runner.jar")
                                    .set("Args", JSON.createArrayNode().add("bash").add("-c").add(
                                            "mkdir -p /home/hadoop/tributary"
                                                    + " && aws s3 cp --only-show-errors s3://tributary-data/artifacts/" + JAR_NAME + " " + localJar
                                                    + " && flink run-application -t yarn-application -Dyarn.application.name=tributary-telemetry"
                                                    + " -c dev.tributary.jobs.JobLauncher " + localJar + " telemetry --config " + CONFIG
                                                    + " --set job.parallelism=4 --set 'rules.file=/etc/tributary/fleet rules.yaml'")))));
            assertThat(JSON.readTree(add.body())).isEqualTo(expected);
        }
    }

    @Test
    void submitSkipsTheUploadWhenTheSameJarIsThere() throws Exception {
        try (FakeAws aws = new FakeAws(answers(Optional.of(JarUpload.sha256(jar))))) {
            CommandRunner.Result result = submit(aws, "--jar-location", "s3://tributary-data/artifacts", "--from-savepoint",
                    "s3://tributary-data/savepoints/savepoint-4f2a1b-0c1d2e3f4a5b");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("already there with the same size and SHA-256, not uploaded");
            assertThat(aws.calls()).containsExactly("HEAD " + JAR_PATH, "POST / ElasticMapReduce.AddJobFlowSteps");
            String line = JSON.readTree(aws.requests().get(1).body()).at("/Steps/0/HadoopJarStep/Args/2").asText();
            assertThat(line).contains("-Dyarn.application.name=tributary-telemetry -s s3://tributary-data/savepoints/savepoint-4f2a1b-0c1d2e3f4a5b -c ");
        }
    }

    @Test
    void submitUploadsAgainWhenTheJarThereIsAnotherBuild() throws Exception {
        try (FakeAws aws = new FakeAws(answers(Optional.of("0".repeat(64))))) {
            CommandRunner.Result result = submit(aws);

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(aws.calls()).containsExactly("HEAD " + JAR_PATH, "PUT " + JAR_PATH, "POST / ElasticMapReduce.AddJobFlowSteps");
        }
    }

    @Test
    void badJobsConfigurationsAndSecretsAreRefusedBeforeAnyRequest() throws Exception {
        try (FakeAws aws = new FakeAws(answers(Optional.empty()))) {
            assertThat(run(aws, "emr", "submit", "--cluster-id", CLUSTER, "--job", "mirror", "--config", CONFIG, "--jar", jar.toString()))
                    .satisfies(result -> assertThat(result.exitCode()).isEqualTo(2))
                    .satisfies(result -> assertThat(result.err()).contains("'mirror'", "'--job'", "telemetry or lake-mirror"));
            assertThat(run(aws, "emr", "submit", "--cluster-id", CLUSTER, "--job", "telemetry", "--config", "s3://tributary-data/artifacts/",
                    "--jar", jar.toString()).err()).contains("'--config'", "not a prefix");
            assertThat(run(aws, "emr", "submit", "--cluster-id", CLUSTER, "--job", "telemetry", "--config", "/tmp/telemetry.properties",
                    "--jar", jar.toString()).err()).contains("'--config'", "expected s3://bucket/key");
            CommandRunner.Result secret = run(aws, "emr", "submit", "--cluster-id", CLUSTER, "--job", "telemetry", "--config", CONFIG,
                    "--jar", jar.toString(), "--set", "kafka.property.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required;");
            assertThat(secret.exitCode()).isEqualTo(2);
            assertThat(secret.err()).contains("kafka.property.sasl.jaas.config", "looks like a secret").doesNotContain("PlainLoginModule");
            // A webhook URL carries its token: EMR would show it to whoever may list steps.
            CommandRunner.Result webhook = run(aws, "emr", "submit", "--cluster-id", CLUSTER, "--job", "telemetry", "--config", CONFIG,
                    "--jar", jar.toString(), "--set", "alerts.webhook.url=https://hooks.example.com/services/T0SECRET?token=tok-1");
            assertThat(webhook.exitCode()).isEqualTo(2);
            assertThat(webhook.err()).contains("alerts.webhook.url", "looks like a secret").doesNotContain("T0SECRET").doesNotContain("tok-1");
            assertThat(aws.calls()).isEmpty();
        }
    }

    @Test
    void statusListsTheStepsAndTheRunningFlinkApplications() throws Exception {
        try (FakeAws aws = new FakeAws(answers(Optional.empty()))) {
            CommandRunner.Result result = run(aws, "emr", "status", "--cluster-id", CLUSTER, "--steps", "5",
                    "--resource-manager-url", aws.endpoint() + "/");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(aws.calls()).containsExactly("POST / ElasticMapReduce.DescribeCluster", "POST / ElasticMapReduce.ListSteps",
                    "GET /ws/v1/cluster/apps?states=RUNNING&applicationTypes=Apache%20Flink");
            assertThat(JSON.readTree(aws.requests().get(0).body())).isEqualTo(JSON.createObjectNode().put("ClusterId", CLUSTER));
            assertThat(JSON.readTree(aws.requests().get(1).body())).isEqualTo(JSON.createObjectNode().put("ClusterId", CLUSTER));
            List<String> lines = result.out().lines().toList();
            assertThat(lines.get(0)).isEqualTo("Cluster " + CLUSTER + " \"tributary\": WAITING, emr-7.13.0, primary ip-10-0-1-23.internal");
            assertThat(result.out())
                    .containsPattern("s-2FAILEDEXAMPLE +\\| tributary lake-mirror \\| FAILED +\\| 2025-12-01T20:00:00Z \\| 2025-12-01T20:00:05Z \\| "
                            + "2025-12-01T20:01:40Z \\| The command returned a non-zero exit code: bash exited with 1 \\(log s3://tributary-logs/emr-logs/"
                            + CLUSTER + "/steps/s-2FAILEDEXAMPLE/stderr.gz\\)")
                    .containsPattern(STEP_ID + " +\\| tributary telemetry +\\| COMPLETED +\\| 2025-12-01T19:00:00Z")
                    .containsPattern("application_1764612000000_0003 \\| tributary-telemetry \\| RUNNING \\| 2025-12-01T19:00:30Z \\| 2 h 5 min +\\| 3 +\\| 12288 MB \\| "
                            + "http://ip-10-0-1-23.internal:20888/proxy/application_1764612000000_0003/");
        }
    }

    @Test
    void statusSaysHowToReachAResourceManagerItCannotReach() throws Exception {
        try (FakeAws aws = new FakeAws(answers(Optional.empty()))) {
            CommandRunner.Result result = run(aws, "emr", "status", "--cluster-id", CLUSTER, "--resource-manager-url", "http://127.0.0.1:1");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).contains("tributary telemetry");
            assertThat(result.err()).contains("the YARN ResourceManager at http://127.0.0.1:1 cannot be reached", "--resource-manager-url http://localhost:8088");
        }
    }

    @Test
    void shellWordsAreQuotedOnlyWhenTheyMustBe() {
        assertThat(FlinkStep.shellWords(List.of("--set", "job.parallelism=4", "a b", "it's", "$HOME", "")))
                .isEqualTo("--set job.parallelism=4 'a b' 'it'\\''s' '$HOME' ''");
    }

    private CommandRunner.Result submit(FakeAws aws, String... extra) {
        List<String> args = new ArrayList<>(List.of("emr", "submit", "--cluster-id", CLUSTER, "--job", "telemetry", "--config", CONFIG));
        args.addAll(List.of(extra));
        return run(aws, args.toArray(String[]::new));
    }

    private CommandRunner.Result run(FakeAws aws, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--region", "eu-west-1", "--endpoint-url", aws.endpoint().toString()));
        if (all.get(1).equals("submit") && !all.contains("--jar")) {
            all.addAll(List.of("--jar", jar.toString()));
        }
        return CommandRunner.run(all.toArray(String[]::new));
    }

    /** EMR, S3 and YARN answers; {@code storedSha256} is the jar in S3 (same size), empty for none. */
    private Function<Request, Response> answers(Optional<String> storedSha256) throws IOException {
        long size = Files.size(jar);
        String clusterJson = "{\"Cluster\":{\"Id\":\"" + CLUSTER + "\",\"Name\":\"tributary\",\"Status\":{\"State\":\"WAITING\"},"
                + "\"ReleaseLabel\":\"emr-7.13.0\",\"MasterPublicDnsName\":\"ip-10-0-1-23.internal\"}}";
        String stepsJson = "{\"Steps\":["
                + "{\"Id\":\"s-2FAILEDEXAMPLE\",\"Name\":\"tributary lake-mirror\",\"Config\":{\"Jar\":\"command-runner.jar\",\"Args\":[]},"
                + "\"ActionOnFailure\":\"CONTINUE\",\"Status\":{\"State\":\"FAILED\",\"FailureDetails\":{\"Reason\":\"The command returned a non-zero exit code\","
                + "\"Message\":\"bash exited with 1\",\"LogFile\":\"s3://tributary-logs/emr-logs/" + CLUSTER + "/steps/s-2FAILEDEXAMPLE/stderr.gz\"},"
                + "\"Timeline\":{\"CreationDateTime\":1764619200.0,\"StartDateTime\":1764619205.4,\"EndDateTime\":1764619300.0}}},"
                + "{\"Id\":\"" + STEP_ID + "\",\"Name\":\"tributary telemetry\",\"Status\":{\"State\":\"COMPLETED\","
                + "\"Timeline\":{\"CreationDateTime\":1764615600.0,\"StartDateTime\":1764615601.0,\"EndDateTime\":1764615630.0}}}]}";
        String appsJson = "{\"apps\":{\"app\":[{\"id\":\"application_1764612000000_0003\",\"name\":\"tributary-telemetry\",\"state\":\"RUNNING\","
                + "\"finalStatus\":\"UNDEFINED\",\"applicationType\":\"Apache Flink\",\"startedTime\":1764615630000,\"elapsedTime\":7500000,"
                + "\"runningContainers\":3,\"allocatedMB\":12288,\"trackingUrl\":\"http://ip-10-0-1-23.internal:20888/proxy/application_1764612000000_0003/\"}]}}";
        return request -> {
            String target = String.valueOf(request.header("x-amz-target"));
            switch (request.method() + " " + request.path()) {
                case "HEAD " + JAR_PATH:
                    return storedSha256.map(sha -> new Response(200, Map.of("Content-Length", Long.toString(size), "x-amz-meta-sha256", sha,
                            "ETag", "\"e-1\""), "")).orElse(new Response(404, Map.of(), ""));
                case "PUT " + JAR_PATH:
                    return new Response(200, Map.of("ETag", "\"e-2\""), "");
                case "GET /ws/v1/cluster/apps":
                    return new Response(200, Map.of("Content-Type", "application/json"), appsJson);
                case "POST /":
                    if (target.equals("ElasticMapReduce.AddJobFlowSteps")) {
                        return Response.json("{\"StepIds\":[\"" + STEP_ID + "\"]}");
                    }
                    if (target.equals("ElasticMapReduce.DescribeCluster")) {
                        return Response.json(clusterJson);
                    }
                    if (target.equals("ElasticMapReduce.ListSteps")) {
                        return Response.json(stepsJson);
                    }
                    break;
                default:
                    break;
            }
            return new Response(400, Map.of("Content-Type", "application/x-amz-json-1.1"),
                    "{\"__type\":\"InvalidRequestException\",\"Message\":\"unexpected " + request.method() + " " + request.path() + " " + target + "\"}");
        };
    }
}
