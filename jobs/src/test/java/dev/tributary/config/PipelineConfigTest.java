package dev.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.SchemaChangeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {
    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap-servers", "localhost:9092");
        values.put("catalog.uri", "jdbc:sqlite:/tmp/catalog.db");
        values.put("catalog.warehouse", "file:///tmp/warehouse");
        return values;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = minimal();
        values.put(key, value);
        return values;
    }

    @Test
    void topicsAndGroupAreDerivedFromPrefixAndPipeline() {
        Map<String, String> values = minimal();
        values.put("topic.prefix", "acme");
        values.put("pipeline.name", "staging-2");

        PipelineConfig config = PipelineConfig.from(values);

        assertThat(config.telemetryTopic()).isEqualTo("acme.telemetry.raw");
        assertThat(config.enrichedTopic()).isEqualTo("acme.telemetry.enriched");
        assertThat(config.alertsTopic()).isEqualTo("acme.alerts");
        assertThat(config.deadLetterTopic()).isEqualTo("acme.telemetry.dlq");
        assertThat(config.consumerGroupId()).isEqualTo("tributary-staging-2-telemetry");
        assertThat(config.cdcTopicPattern().matcher("acme.cdc.public.devices").matches()).isTrue();
        assertThat(config.cdcTopicPattern().matcher("fleet.cdc.public.devices").matches()).isFalse();
        // The prefix is quoted: its dots are not wildcards.
        assertThat(config.cdcTopicPattern().matcher("acmeXcdcXpublic.devices").matches()).isFalse();
    }

    @Test
    void defaultsWithoutPrefix() {
        PipelineConfig config = PipelineConfig.from(minimal());

        assertThat(config.pipelineName()).isEqualTo("fleet");
        assertThat(config.telemetryTopic()).isEqualTo("fleet.telemetry.raw");
        assertThat(config.startingOffsets()).isEqualTo(PipelineConfig.StartingOffsets.EARLIEST);
        assertThat(config.bounded()).isFalse();
        assertThat(config.parallelism()).isEqualTo(2);
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.rules().rule(PipelineConfig.HEADLIGHTS).holdFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.maxEventBytes()).isEqualTo(256 * 1024);
        assertThat(config.readingLimits().maxFutureSkew()).isEqualTo(Duration.ofHours(1));
        assertThat(config.readingLimits().maxEventAge()).isEqualTo(Duration.ofDays(365));
        assertThat(PipelineConfig.from(with("telemetry.max-future-skew", "10m")).readingLimits().maxFutureSkew()).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> PipelineConfig.from(with("telemetry.max-event-age", "0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'telemetry.max-event-age'");
        assertThat(config.lake().catalogType()).isEqualTo(LakeConfig.CatalogType.JDBC);
        assertThat(config.lake().fileFormat()).isEqualTo(LakeConfig.FileFormat.ORC);
        assertThat(config.lake().namespace()).isEqualTo("fleet");
        assertThat(config.lake().telemetryTable()).isEqualTo("telemetry");
    }

    @Test
    void explicitValuesWin() {
        Map<String, String> values = minimal();
        values.put("topic.prefix", "acme");
        values.put("topic.alerts", "alerts-v2");
        values.put("source.starting-offsets", "latest");
        values.put("source.bounded", "TRUE");
        values.put("catalog.type", "hadoop");
        values.remove("catalog.uri");
        values.put("lake.file-format", "parquet");
        values.put("job.parallelism", " 4 ");
        values.put("enrichment.max-wait", "PT30S");
        values.put("rules.headlights.min-duration", "90s");

        PipelineConfig config = PipelineConfig.from(values);

        assertThat(config.alertsTopic()).isEqualTo("alerts-v2");
        assertThat(config.telemetryTopic()).isEqualTo("acme.telemetry.raw");
        assertThat(config.startingOffsets()).isEqualTo(PipelineConfig.StartingOffsets.LATEST);
        assertThat(config.bounded()).isTrue();
        assertThat(config.lake().catalogType()).isEqualTo(LakeConfig.CatalogType.HADOOP);
        assertThat(config.lake().uri()).isNull();
        assertThat(config.lake().fileFormat()).isEqualTo(LakeConfig.FileFormat.PARQUET);
        assertThat(config.parallelism()).isEqualTo(4);
        assertThat(config.enrichmentMaxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.rules().rule(PipelineConfig.HEADLIGHTS).holdFor()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void kinesisIsChosenByConfigurationAndChecked() {
        String arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/fleet-telemetry";
        Map<String, String> values = minimal();
        values.put("telemetry.source", "kinesis");
        values.put("kinesis.stream-arn", arn);
        values.put("kinesis.property.aws.credentials.provider.basic.secretkey", "do-not-print");
        PipelineConfig config = PipelineConfig.from(values);
        assertThat(config.kinesis().source()).isEqualTo(KinesisConfig.Source.KINESIS);
        assertThat(config.kinesis().region()).isEqualTo("eu-west-1");
        assertThat(config.kinesis().clientProperties()).containsEntry("aws.region", "eu-west-1").doesNotContainKey("aws.endpoint");
        assertThat(KinesisConfig.streamName(arn)).isEqualTo("fleet-telemetry");
        assertThat(config.describe()).contains("telemetry.source = kinesis " + arn).doesNotContain("do-not-print");
        assertThat(PipelineConfig.from(minimal()).kinesis().source()).isEqualTo(KinesisConfig.Source.KAFKA);

        assertThatThrownBy(() -> PipelineConfig.from(with("telemetry.source", "kinesis")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'kinesis.stream-arn'");
        assertThatThrownBy(() -> PipelineConfig.from(with("kinesis.stream-arn", "fleet-telemetry")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'kinesis.stream-arn'").hasMessageContaining("'fleet-telemetry'");
        values.put("source.bounded", "true");
        assertThatThrownBy(() -> PipelineConfig.from(values))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'source.bounded'").hasMessageContaining("Kinesis");
    }

    @Test
    void badDurationNamesKeyAndValue() {
        assertThatThrownBy(() -> PipelineConfig.from(with("checkpoint.interval", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'checkpoint.interval'")
                .hasMessageContaining("'abc'");
    }

    @Test
    void zeroOrNegativeValuesAreRefusedWhereTheyMakeNoSense() {
        assertThatThrownBy(() -> PipelineConfig.from(with("job.parallelism", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'job.parallelism'").hasMessageContaining("'0'").hasMessageContaining("positive integer");
        assertThatThrownBy(() -> PipelineConfig.from(with("telemetry.max-event-bytes", "many")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'telemetry.max-event-bytes'").hasMessageContaining("'many'");
        assertThatThrownBy(() -> PipelineConfig.from(with("checkpoint.interval", "0s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'checkpoint.interval'").hasMessageContaining("'0s'").hasMessageContaining("greater than zero");
        assertThatThrownBy(() -> PipelineConfig.from(with("enrichment.max-wait", "PT-5S")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'enrichment.max-wait'").hasMessageContaining("'PT-5S'");
        assertThat(PipelineConfig.from(with("watermark.out-of-orderness", "0s")).outOfOrderness()).isZero();
    }

    @Test
    void unknownChoiceListsTheChoices() {
        assertThatThrownBy(() -> PipelineConfig.from(with("catalog.type", "mongo")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'catalog.type'")
                .hasMessageContaining("'mongo'")
                .hasMessageContaining("jdbc, rest, hadoop");
    }

    @Test
    void badBooleanAndPipelineNameAreRefused() {
        assertThatThrownBy(() -> PipelineConfig.from(with("source.bounded", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'source.bounded'").hasMessageContaining("'yes'");
        assertThatThrownBy(() -> PipelineConfig.from(with("pipeline.name", "Fleet_1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'pipeline.name'").hasMessageContaining("'Fleet_1'");
        assertThatThrownBy(() -> PipelineConfig.from(with("topic.cdc-pattern", "fleet.cdc.(")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'topic.cdc-pattern'");
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> PipelineConfig.from(with("kafka.bootstrap.servers", "broker:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'kafka.bootstrap.servers'")
                .hasMessageContaining("'broker:9092'")
                .hasMessageContaining("kafka.bootstrap-servers");
    }

    @Test
    void missingRequiredKeysAreNamed() {
        Map<String, String> withoutServers = minimal();
        withoutServers.remove("kafka.bootstrap-servers");
        Map<String, String> blankServers = with("kafka.bootstrap-servers", "  ");
        Map<String, String> restWithoutUri = with("catalog.type", "rest");
        restWithoutUri.remove("catalog.uri");

        assertThatThrownBy(() -> PipelineConfig.from(withoutServers))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'kafka.bootstrap-servers'");
        assertThatThrownBy(() -> PipelineConfig.from(blankServers))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'kafka.bootstrap-servers'");
        assertThatThrownBy(() -> PipelineConfig.from(restWithoutUri))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'catalog.uri'").hasMessageContaining("rest");
    }

    @Test
    void kafkaPropertiesArePassedOnAndSecretsMaskedInDescription() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"svc\" password=\"hunter2\";";
        Map<String, String> values = minimal();
        values.put("kafka.property.sasl.jaas.config", jaas);
        values.put("kafka.property.security.protocol", "SASL_SSL");

        PipelineConfig config = PipelineConfig.from(values);
        String description = config.describe();

        assertThat(config.kafkaProperties())
                .containsEntry("sasl.jaas.config", jaas)
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(description)
                .contains("kafka.property.sasl.jaas.config = ******")
                .contains("kafka.property.security.protocol = SASL_SSL")
                .contains("kafka.bootstrap-servers = localhost:9092")
                .doesNotContain("hunter2")
                .doesNotContain("PlainLoginModule");
    }

    @Test
    void theWebhookUrlShowsOnlyItsSchemeAndHostAndAnyCredentialIsMasked() {
        Map<String, String> values = minimal();
        values.put("alerts.webhook.url", "https://hooks.example.com/services/T0SECRET/B0SECRET?token=tok-SECRET");
        values.put("catalog.property.credential", "client:cred-SECRET");
        values.put("catalog.property.s3.access-key-id", "AKIA-SECRET");
        values.put("kinesis.property.aws.secret.access.key", "kin-SECRET");
        PipelineConfig config = PipelineConfig.from(values);

        assertThat(config.notifications().webhookUrl().getQuery()).isEqualTo("token=tok-SECRET");
        for (String shown : java.util.List.of(config.describe(), config.toString(), config.notifications().toString(), config.lake().toString(),
                config.kinesis().toString())) {
            assertThat(shown).doesNotContain("SECRET");
        }
        assertThat(config.describe()).contains("alerts.webhook.url = https://hooks.example.com/******")
                .contains("catalog property credential = ******").contains("catalog property s3.access-key-id = ******");
        assertThatThrownBy(() -> PipelineConfig.from(with("alerts.webhook.url", "ftp://hooks.example.com/T0SECRET")))
                .hasMessageContaining("ftp://hooks.example.com/******").hasMessageNotContaining("T0SECRET");
    }

    @Test
    void kafkaAuthenticationReachesEveryClientButNeverTheDescription() {
        Map<String, String> values = minimal();
        values.put("kafka.auth", "scram-sha-512");
        values.put("kafka.auth.username", "tributary");
        values.put("kafka.property.client.dns.lookup", "use_all_dns_ips");

        PipelineConfig config = PipelineConfig.from(values, Map.of("TRIBUTARY_KAFKA_PASSWORD", "pw-in-env-7"));

        assertThat(config.kafkaClientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("client.dns.lookup", "use_all_dns_ips")
                .hasEntrySatisfying("sasl.jaas.config", jaas -> assertThat(jaas).contains("password=\"pw-in-env-7\""));
        assertThat(config.kafkaProperties()).doesNotContainKey("sasl.jaas.config");
        assertThat(config.describe())
                .contains("kafka.auth = scram-sha-512: SCRAM-SHA-512 as user 'tributary' (password from environment variable TRIBUTARY_KAFKA_PASSWORD)")
                .doesNotContain("pw-in-env-7");
        assertThat(config.toString()).contains("kafka.auth = scram-sha-512").doesNotContain("pw-in-env-7");

        values.put("kafka.property.security.protocol", "SASL_PLAINTEXT");
        assertThatThrownBy(() -> PipelineConfig.from(values, Map.of("TRIBUTARY_KAFKA_PASSWORD", "pw-in-env-7")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'kafka.property.security.protocol'");
    }

    @Test
    void configuredKafkaPropertiesCannotBeChangedAfterwards() {
        PipelineConfig config = PipelineConfig.from(with("kafka.property.acks", "all"));

        assertThatThrownBy(() -> config.kafkaProperties().put("acks", "0")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void alertSettingsAreCheckedAtStartUp() {
        assertThatThrownBy(() -> PipelineConfig.from(with("alerts.routing", "topic")))
                .hasMessageContaining("'topic'").hasMessageContaining("'alerts.routing'");
        assertThatThrownBy(() -> PipelineConfig.from(with("alerts.sns.topic-arn", "fleet-alerts")))
                .hasMessageContaining("'alerts.sns.topic-arn'").hasMessageContaining("expected an SNS topic ARN");
        assertThatThrownBy(() -> PipelineConfig.from(with("alerts.webhook.url", "ftp://example.com/x")))
                .hasMessageContaining("'alerts.webhook.url'").hasMessageContaining("http or https");
        assertThatThrownBy(() -> PipelineConfig.from(with("rules.file", "/nowhere/rules.yaml")))
                .hasMessageContaining("rules file /nowhere/rules.yaml: cannot read it");

        PipelineConfig config = PipelineConfig.from(with("alerts.sns.topic-arn", "arn:aws:sns:eu-west-1:123456789012:fleet-alerts"));
        assertThat(config.notifications().snsRegion()).isEqualTo("eu-west-1");
        assertThat(config.notifications().deadLetterTopic()).isEqualTo(config.alertsTopic() + ".dlq");
        assertThat(config.notifications().notifiesOutsideKafka()).isTrue();
        assertThat(config.alertTopics()).containsExactly(config.alertsTopic());
    }

    @Test
    void schemaChangeReportingDefaults() {
        SchemaChangeConfig schemaChanges = PipelineConfig.from(with("topic.prefix", "acme")).schemaChanges();

        assertThat(schemaChanges.reportAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(schemaChanges.sns()).as("no SNS unless a topic ARN is set").isNull();
        assertThat(schemaChanges.deadLetterTopic()).isEqualTo("acme.schema-changes.dlq");
        assertThat(schemaChanges.table()).isEqualTo("schema_changes");
        assertThat(PipelineConfig.from(with("topic.schema-changes", "changes")).schemaChanges().deadLetterTopic()).isEqualTo("changes.dlq");
    }

    @Test
    void schemaChangeReportingSettingsAreReadAndChecked() {
        Map<String, String> values = minimal();
        values.put("schema-changes.report-after", "0s");
        values.put("schema-changes.sns.topic-arn", "arn:aws:sns:eu-west-1:123456789012:fleet-schema-changes");
        values.put("schema-changes.sns.endpoint", "https://sns.example.internal");
        values.put("topic.schema-changes-dlq", "changes-refused");
        values.put("lake.schema-changes-table", "shape_changes");
        SchemaChangeConfig schemaChanges = PipelineConfig.from(values).schemaChanges();
        assertThat(schemaChanges.reportAfter()).isZero();
        assertThat(schemaChanges.sns().arn()).isEqualTo("arn:aws:sns:eu-west-1:123456789012:fleet-schema-changes");
        assertThat(schemaChanges.sns().region()).as("the ARN's region").isEqualTo("eu-west-1");
        assertThat(schemaChanges.sns().endpoint()).hasToString("https://sns.example.internal");
        assertThat(schemaChanges.deadLetterTopic()).isEqualTo("changes-refused");
        assertThat(schemaChanges.table()).isEqualTo("shape_changes");
        values.put("schema-changes.sns.region", "eu-central-1");
        assertThat(PipelineConfig.from(values).schemaChanges().sns().region()).isEqualTo("eu-central-1");

        assertThatThrownBy(() -> PipelineConfig.from(with("schema-changes.sns.topic-arn", "arn:aws:sqs:eu-west-1:123456789012:fleet")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'schema-changes.sns.topic-arn'").hasMessageContaining("'arn:aws:sqs:eu-west-1:123456789012:fleet'")
                .hasMessageContaining("expected an SNS topic ARN");
        assertThatThrownBy(() -> PipelineConfig.from(with("schema-changes.report-after", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'schema-changes.report-after'").hasMessageContaining("'soon'");
        Map<String, String> relativeEndpoint = with("schema-changes.sns.topic-arn", "arn:aws:sns:eu-west-1:123456789012:fleet-schema-changes");
        relativeEndpoint.put("schema-changes.sns.endpoint", "sns.local");
        assertThatThrownBy(() -> PipelineConfig.from(relativeEndpoint))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'schema-changes.sns.endpoint'").hasMessageContaining("absolute URL");
    }

    @Test
    void driftPoliciesAndLakeLayoutHaveDefaultsAndRefuseWhatCannotWork() {
        PipelineConfig defaults = PipelineConfig.from(minimal());
        assertThat(defaults.drift()).isEqualTo(DriftConfig.defaults());
        assertThat(defaults.lake().arrays()).isEqualTo(LakeConfig.ArrayLayout.LIST);
        assertThat(defaults.lake().writer()).isEqualTo(LakeConfig.Writer.DYNAMIC_SINK);

        Map<String, String> values = with("drift.on-field-added", "reject");
        values.put("drift.on-type-conflict", "reject");
        values.put("lake.arrays", "child-table");
        PipelineConfig chosen = PipelineConfig.from(values);
        assertThat(chosen.drift().onFieldAdded()).isEqualTo(DriftConfig.OnFieldAdded.REJECT);
        assertThat(chosen.drift().onTypeConflict()).isEqualTo(DriftConfig.OnTypeConflict.REJECT);
        assertThat(chosen.lake().arrays()).isEqualTo(LakeConfig.ArrayLayout.CHILD_TABLE);

        assertThatThrownBy(() -> PipelineConfig.from(with("drift.on-type-conflict", "evolve")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'drift.on-type-conflict'").hasMessageContaining("widening");
        assertThatThrownBy(() -> PipelineConfig.from(with("drift.on-field-added", "ignore")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'drift.on-field-added'").hasMessageContaining("evolve, quarantine, reject");
        assertThatThrownBy(() -> PipelineConfig.from(with("lake.writer", "flink-sink")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'lake.writer'").hasMessageContaining("drift.on-field-added=quarantine or reject");
        Map<String, String> fixed = with("lake.writer", "flink-sink");
        fixed.put("drift.on-field-added", "quarantine");
        assertThat(PipelineConfig.from(fixed).lake().writer()).isEqualTo(LakeConfig.Writer.FLINK_SINK);
        fixed.put("lake.arrays", "child-table");
        assertThatThrownBy(() -> PipelineConfig.from(fixed)).isInstanceOf(ConfigException.class).hasMessageContaining("lake.arrays=child-table");
    }
}
