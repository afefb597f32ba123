package dev.tributary.emr;

import dev.tributary.jobs.S3Location;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.StepConfig;

/**
 * The EMR step that starts one job as a Flink application on YARN. EMR's command-runner.jar runs, on the
 * primary node as user hadoop, a bash line that copies the jar from S3 and submits it in application mode:
 * <pre>
 * mkdir -p /home/hadoop/tributary &amp;&amp; aws s3 cp s3://bucket/artifacts/JAR /home/hadoop/tributary/JAR
 *   &amp;&amp; flink run-application -t yarn-application -Dyarn.application.name=tributary-JOB
 *        -c dev.tributary.jobs.JobLauncher /home/hadoop/tributary/JAR JOB --config s3://... [--set key=value ...]
 * </pre>
 * In application mode the job's {@code main} (the launcher reading its configuration from S3) runs in the
 * JobManager's YARN container, and the step ends once YARN accepted the application: the job keeps running
 * after it, under the name {@code tributary-JOB}. The copy comes first because that is the form of Flink step
 * EMR documents; the client then ships the local jar to the application through HDFS.
 */
public record FlinkStep(String job, S3Location jar, String config, Map<String, String> settings, Optional<String> savepoint) {
    public static final String LAUNCHER = "dev.tributary.jobs.JobLauncher";
    static final String LOCAL_DIRECTORY = "/home/hadoop/tributary";

    public FlinkStep {
        requireNonNull(job, "job is null");
        requireNonNull(jar, "jar is null");
        requireNonNull(config, "config is null");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(settings, "settings is null")));
        requireNonNull(savepoint, "savepoint is null");
    }

    /** The step's name, as {@code emr status} lists it. */
    public String name() {
        return "tributary " + job;
    }

    /** The YARN application's name. */
    public String applicationName() {
        return "tributary-" + job;
    }

    public StepConfig stepConfig() {
        return StepConfig.builder()
                .name(name())
                .actionOnFailure(ActionOnFailure.CONTINUE)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args(arguments()).build())
                .build();
    }

    /** command-runner.jar's arguments: {@code bash -c <line>}, the {@code --set} pairs in the order given. */
    public List<String> arguments() {
        String fileName = jar.key().substring(jar.key().lastIndexOf('/') + 1);
        String localJar = LOCAL_DIRECTORY + "/" + fileName;
        List<String> flink = new ArrayList<>(List.of("flink", "run-application", "-t", "yarn-application",
                "-Dyarn.application.name=" + applicationName()));
        savepoint.ifPresent(path -> flink.addAll(List.of("-s", path)));
        flink.addAll(List.of("-c", LAUNCHER, localJar, job, "--config", config));
        settings.forEach((key, value) -> flink.addAll(List.of("--set", key + "=" + value)));
        String line = "mkdir -p " + LOCAL_DIRECTORY
                + " && " + shellWords(List.of("aws", "s3", "cp", "--only-show-errors", jar.toString(), localJar))
                + " && " + shellWords(flink);
        return List.of("bash", "-c", line);
    }

    /** Words for bash: each quoted unless it is made only of characters the shell leaves alone. */
    static String shellWords(List<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String word : words) {
            quoted.add(word.matches("[A-Za-z0-9_./:=,@%+-]+") ? word : "'" + word.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
