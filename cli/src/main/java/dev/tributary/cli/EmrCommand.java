package dev.tributary.cli;

import dev.tributary.config.ConfigException;
import dev.tributary.config.PipelineConfig;
import dev.tributary.emr.AwsAccess;
import dev.tributary.emr.ClusterStatus;
import dev.tributary.emr.FlinkStep;
import dev.tributary.emr.JarUpload;
import dev.tributary.jobs.S3Location;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.AddJobFlowStepsRequest;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.StepSummary;
import software.amazon.awssdk.services.s3.S3Client;

@Command(name = "emr", mixinStandardHelpOptions = true,
        description = {"The jobs on an Amazon EMR cluster (deploy/emr/tributary-emr.yaml): submit one,",
                "show the cluster's steps and its Flink applications."},
        subcommands = {EmrCommand.Submit.class, EmrCommand.Status.class})
final class EmrCommand {
    private static final List<String> JOBS = List.of("telemetry", "lake-mirror");

    /** Which cluster, and where AWS is: the region, an endpoint replacing the services' own, the default credential chain. */
    static final class ClusterOptions {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = "--cluster-id", required = true, description = "The cluster (j-...), the stack's ClusterId output.")
        String clusterId;

        @Option(names = "--region", description = "The cluster's region (default: AWS_REGION or the AWS profile's).")
        String region;

        @Option(names = "--endpoint-url", description = "An endpoint for EMR and S3 instead of AWS's own (tests, S3-compatible servers; S3 path-style).")
        URI endpoint;

        AwsAccess access() {
            return new AwsAccess(Optional.ofNullable(region), Optional.ofNullable(endpoint));
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Uploads the jobs jar to S3 unless the same jar (size and SHA-256) is there,",
                    "then adds an EMR step that starts the job as a Flink application on YARN",
                    "(flink run-application -t yarn-application); the job reads its configuration",
                    "from S3 on the cluster. Prints the step id; ./tributary emr status follows it."})
    static final class Submit implements Callable<Integer> {
        @Mixin
        ClusterOptions aws;

        @Option(names = "--job", required = true, description = "telemetry or lake-mirror.")
        String job;

        @Option(names = "--config", required = true, description = "The job's configuration in S3 (s3://bucket/key), read on the cluster.")
        String config;

        @Option(names = "--jar-location", description = "S3 prefix (or .jar key) of the jar (default: s3://<the configuration's bucket>/artifacts/, the stack's JarLocation).")
        String jarLocation;

        @Option(names = "--jar", description = "The shaded jobs jar (default: jobs/target/tributary-jobs-*-flink.jar).")
        Path jar;

        @Option(names = "--from-savepoint", description = "Start from this savepoint or retained checkpoint (s3://...).")
        String savepoint;

        @Option(names = "--set", paramLabel = "key=value", description = "A pipeline configuration key=value on top of the file (repeatable; no secrets: EMR shows step arguments).")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws IOException {
            PrintWriter out = aws.spec.commandLine().getOut();
            if (!JOBS.contains(job)) {
                throw new ConfigException("--job", job, "expected " + String.join(" or ", JOBS));
            }
            S3Location configLocation = S3Location.parse("--config", config);
            if (configLocation.isPrefix()) {
                throw new ConfigException("--config", config, "expected the key of a properties object, not a prefix");
            }
            for (String key : settings.keySet()) {
                if (dev.tributary.config.SecretKeys.isSecret(key)) {
                    throw new ConfigException("--set", key, "looks like a secret, and EMR shows step arguments to whoever may list steps:"
                            + " put it in the configuration object in S3 or in Secrets Manager");
                }
            }
            if (savepoint != null) {
                S3Location.parse("--from-savepoint", savepoint);
            }
            Path jarFile = jar != null ? jar : findJobsJar();
            if (!Files.isRegularFile(jarFile)) {
                throw new ConfigException("--jar", jarFile.toString(), "no such file");
            }
            S3Location prefix = jarLocation != null ? S3Location.parse("--jar-location", jarLocation) : new S3Location(configLocation.bucket(), "artifacts/");
            S3Location jarObject = prefix.key().endsWith(".jar") ? prefix : prefix.resolve(jarFile.getFileName().toString());
            FlinkStep step = new FlinkStep(job, jarObject, config, settings, Optional.ofNullable(savepoint));

            AwsAccess access = aws.access();
            try (S3Client s3 = access.s3(); EmrClient emr = access.emr()) {
                JarUpload.Result upload = new JarUpload(s3).ensure(jarFile, jarObject);
                out.printf("Jar %s: %s (%.1f MB, sha256 %s)%n", upload.location(),
                        upload.uploaded() ? "uploaded" : "already there with the same size and SHA-256, not uploaded",
                        upload.bytes() / 1e6, upload.sha256().substring(0, 12));
                String stepId = emr.addJobFlowSteps(AddJobFlowStepsRequest.builder().jobFlowId(aws.clusterId).steps(step.stepConfig()).build())
                        .stepIds().get(0);
                out.println("Step " + stepId + " (" + step.name() + ") added to cluster " + aws.clusterId
                        + "; YARN application " + step.applicationName() + ". ./tributary emr status --cluster-id " + aws.clusterId + " shows it.");
                out.println(stepId);
                return 0;
            } catch (SdkException e) {
                aws.spec.commandLine().getErr().println("error: " + e.getMessage());
                return 1;
            }
        }

        /** The newest jobs/target/tributary-jobs-*-flink.jar under the working directory or its parent. */
        private static Path findJobsJar() throws IOException {
            List<Path> candidates = new ArrayList<>();
            for (Path target : List.of(Path.of("jobs/target"), Path.of("../jobs/target"))) {
                if (Files.isDirectory(target)) {
                    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "tributary-jobs-*-flink.jar")) {
                        jars.forEach(candidates::add);
                    }
                }
            }
            Comparator<Path> newest = Comparator.comparing(path -> path.toFile().lastModified());
            return candidates.stream().max(newest).orElseThrow(() -> new ConfigException(
                    "No jobs jar in jobs/target: build it with `mvn -B package -DskipTests` or pass --jar"));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Shows the cluster, its latest steps (state, times, failure reason) and the Flink",
                    "applications running on YARN (the ResourceManager's REST API on the primary node,",
                    "port 8088, or --resource-manager-url through a tunnel).",
                    "Exit code 0, or 1 when the ResourceManager cannot be reached."})
    static final class Status implements Callable<Integer> {
        @Mixin
        ClusterOptions aws;

        @Option(names = "--steps", defaultValue = "10", description = "How many of the latest steps to list (default: ${DEFAULT-VALUE}).")
        int stepCount;

        @Option(names = "--resource-manager-url", description = "The YARN ResourceManager, e.g. http://localhost:8088 through an SSH or SSM tunnel"
                + " (default: http://<primary node DNS>:8088).")
        URI resourceManager;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = aws.spec.commandLine().getOut();
            PrintWriter err = aws.spec.commandLine().getErr();
            if (stepCount < 1) {
                throw new ConfigException("--steps", Integer.toString(stepCount), "expected a positive number");
            }
            URI yarn;
            try (EmrClient emr = aws.access().emr()) {
                ClusterStatus status = new ClusterStatus(emr);
                Cluster cluster = status.cluster(aws.clusterId);
                out.println(ClusterStatus.describe(cluster));
                List<StepSummary> steps = status.steps(aws.clusterId, stepCount);
                out.println();
                out.println("Steps, newest first:");
                out.print(ClusterStatus.stepsTable(steps));
                if (resourceManager != null) {
                    yarn = resourceManager;
                } else if (cluster.masterPublicDnsName() != null) {
                    yarn = ClusterStatus.resourceManager(cluster.masterPublicDnsName());
                } else {
                    err.println("error: the cluster has no primary node address yet; pass --resource-manager-url");
                    return 1;
                }
            } catch (SdkException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            out.println();
            out.println("Flink applications running on YARN (" + yarn + "):");
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                out.print(ClusterStatus.applicationsTable(ClusterStatus.runningFlinkApplications(http, yarn)));
                return 0;
            } catch (IOException e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                err.println("error: the YARN ResourceManager at " + yarn + " cannot be reached (" + reason + "). From outside the VPC,"
                        + " open a tunnel to the primary node's port 8088 (SSM port forwarding or ssh -L 8088:localhost:8088) and pass"
                        + " --resource-manager-url http://localhost:8088");
                return 1;
            }
        }
    }
}
