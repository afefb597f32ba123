package dev.tributary.jobs;

import dev.tributary.config.ConfigException;
import dev.tributary.config.PipelineConfig;
import dev.tributary.mirror.LakeMirrorJob;
import dev.tributary.telemetry.TelemetryJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the shaded jar on a Flink cluster:
 * <pre>flink run -c dev.tributary.jobs.JobLauncher tributary-jobs-flink.jar telemetry|lake-mirror --config pipeline.properties [--set key=value ...]</pre>
 * The configuration is a local file or an S3 object ({@code --config s3://bucket/key}), see {@link ConfigSource}.
 */
public final class JobLauncher {
    private JobLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(usage());
            return;
        }
        String job = args[0];
        String configLocation = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (arg.equals("--config") && i + 1 < rest.size()) {
                configLocation = rest.get(++i);
            } else if (arg.equals("--set") && i + 1 < rest.size()) {
                String pair = rest.get(++i);
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new ConfigException("--set takes key=value, not '" + pair + "'");
                }
                overrides.put(pair.substring(0, equals), pair.substring(equals + 1));
            } else {
                throw new ConfigException("Unknown argument '" + arg + "'\n" + usage());
            }
        }
        PipelineConfig config = PipelineConfig.from(configLocation == null ? overrides : ConfigSource.parse(configLocation).read(overrides));
        System.out.println("Starting job '" + job + "' with:\n" + config.describe());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        switch (job) {
            case "telemetry":
                TelemetryJob.configure(env, config);
                new TelemetryJob(config).build(env);
                env.execute(TelemetryJob.NAME);
                break;
            case "lake-mirror":
                LakeMirrorJob.configure(env, config);
                new LakeMirrorJob(config).build(env);
                env.execute(LakeMirrorJob.NAME);
                break;
            default:
                throw new ConfigException("Unknown job '" + job + "'\n" + usage());
        }
    }

    static String usage() {
        return "Usage: JobLauncher <job> [--config FILE|s3://bucket/key] [--set key=value ...]\n"
                + "Jobs: telemetry, lake-mirror\n"
                + "Configuration keys are listed in README.md.";
    }
}
