package dev.tributary.emr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/emr/tributary-emr.yaml: Graviton only, least-privilege policies as CloudFormation would create them
 * (with every optional resource given, and with none), everything regional from parameters and pseudo
 * parameters, the Flink settings the jobs rely on. Each rule is also shown rejecting a broken copy.
 */
class EmrTemplateTest {
    private static final Path TEMPLATE = Path.of("../deploy/emr/tributary-emr.yaml");

    @Test
    void theTemplateKeepsEveryRule() throws IOException {
        String yaml = Files.readString(TEMPLATE);
        JsonNode template = EmrTemplateCheck.parse(yaml);
        assertThat(EmrTemplateCheck.nonGravitonInstanceTypes(yaml, template)).isEmpty();
        assertThat(EmrTemplateCheck.notParameterized(template)).isEmpty();
        assertThat(EmrTemplateCheck.literalAccountsRegionsAndPartitions(yaml)).isEmpty();
        for (boolean everyOption : new boolean[] {true, false}) {
            TemplateEvaluator evaluator = EmrTemplateCheck.evaluator(template, everyOption);
            assertThat(EmrTemplateCheck.broadPermissions(template, evaluator)).as("every option " + everyOption).isEmpty();
            assertThat(EmrTemplateCheck.missingFlinkSettings(template, evaluator)).as("every option " + everyOption).isEmpty();
        }
    }

    @Test
    void thePoliciesGrantWhatTheJobsNeedOnTheResourcesGiven() throws IOException {
        JsonNode template = EmrTemplateCheck.parse(Files.readString(TEMPLATE));
        String policy = EmrTemplateCheck.evaluator(template, true).properties("InstanceRole").path("Policies").toString();
        String tail = EmrTemplateCheck.REGION + ":" + EmrTemplateCheck.ACCOUNT + ":";
        assertThat(policy)
                .contains("\"arn:aws:s3:::tributary-data/warehouse/*\"", "\"arn:aws:s3:::tributary-data/checkpoints/*\"",
                        "\"arn:aws:s3:::tributary-data/artifacts/*\"", "\"arn:aws:s3:::tributary-logs/emr-logs/*\"")
                .contains("\"arn:aws:glue:" + tail + "database/fleet\"", "\"arn:aws:glue:" + tail + "table/fleet/*\"")
                .contains("\"arn:aws:kafka:" + tail + "topic/fleet-msk/1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901-2/fleet.*\"")
                .contains("\"arn:aws:kafka:" + tail + "group/fleet-msk/1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901-2/tributary-fleet-*\"")
                .contains("\"arn:aws:kafka:" + tail + "transactional-id/fleet-msk/1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901-2/fleet-*\"")
                .contains("kinesis:GetRecords", "\"arn:aws:kinesis:" + tail + "stream/fleet-telemetry/consumer/*\"")
                .contains("kinesis:PutRecords", "\"arn:aws:kinesis:" + tail + "stream/fleet-telemetry-enriched\"", "\"arn:aws:kinesis:" + tail + "stream/fleet-alerts\"")
                .contains("sns:Publish", "\"arn:aws:sns:" + tail + "fleet-alerts\"")
                .contains("secretsmanager:GetSecretValue", "kafka-cluster:WriteDataIdempotently");
        String withoutOptions = EmrTemplateCheck.evaluator(template, false).properties("InstanceRole").path("Policies").toString();
        assertThat(withoutOptions).contains("glue:UpdateTable").doesNotContain("kafka-cluster", "kinesis:", "sns:", "secretsmanager:", "kms:");
        JsonNode security = EmrTemplateCheck.evaluator(template, false).properties("SecurityConfiguration").path("SecurityConfiguration");
        assertThat(security.at("/EncryptionConfiguration/AtRestEncryptionConfiguration/S3EncryptionConfiguration/EncryptionMode").asText())
                .isEqualTo("SSE-S3");
        assertThat(security.at("/EncryptionConfiguration/EnableInTransitEncryption").asBoolean()).isFalse();
        JsonNode secured = EmrTemplateCheck.evaluator(template, true).properties("SecurityConfiguration").path("SecurityConfiguration");
        assertThat(secured.at("/EncryptionConfiguration/InTransitEncryptionConfiguration/TLSCertificateConfiguration/S3Object").asText())
                .isEqualTo("s3://tributary-data/artifacts/tls/certificates.zip");
        assertThat(secured.at("/EncryptionConfiguration/AtRestEncryptionConfiguration/LocalDiskEncryptionConfiguration/EncryptionKeyProviderType")
                .asText()).isEqualTo("AwsKms");
    }

    @Test
    void theFleetsAreOnDemandForPrimaryAndCoreAndSpotForTasks() throws IOException {
        JsonNode template = EmrTemplateCheck.parse(Files.readString(TEMPLATE));
        JsonNode instances = EmrTemplateCheck.evaluator(template, true).properties("Cluster").path("Instances");
        assertThat(instances.at("/MasterInstanceFleet/TargetOnDemandCapacity").asText()).isEqualTo("1");
        assertThat(instances.at("/MasterInstanceFleet").has("TargetSpotCapacity")).isFalse();
        assertThat(instances.at("/CoreInstanceFleet/TargetOnDemandCapacity").asText()).isEqualTo("2");
        assertThat(instances.at("/CoreInstanceFleet").has("TargetSpotCapacity")).isFalse();
        JsonNode task = instances.path("TaskInstanceFleets").get(0);
        assertThat(task.path("TargetSpotCapacity").asText()).isEqualTo("2");
        assertThat(task.has("TargetOnDemandCapacity")).isFalse();
        assertThat(task.path("InstanceTypeConfigs").findValuesAsText("InstanceType")).containsExactly("c7g.2xlarge", "m7g.2xlarge", "r7g.2xlarge");
        assertThat(instances.path("Ec2SubnetIds").toString()).isEqualTo("[\"subnet-0aaa\",\"subnet-0bbb\"]");
    }

    @Test
    void anX86InstanceTypeIsCaughtInADefaultAnAllowedValueOrAFleet() throws IOException {
        assertThat(nonGraviton("    Default: m7g.xlarge\n", "    Default: m7i.xlarge\n")).containsExactly("not Graviton: m7i.xlarge");
        assertThat(nonGraviton("[m7g.xlarge, m7g.2xlarge,", "[m7g.xlarge, c7i.2xlarge,")).contains("not Graviton: c7i.2xlarge",
                "allowed value not Graviton: c7i.2xlarge");
        assertThat(nonGraviton("            - InstanceType: {Ref: PrimaryInstanceType}", "            - InstanceType: m5.xlarge"))
                .contains("not Graviton: m5.xlarge");
        assertThat(notParameterized("            - InstanceType: {Ref: PrimaryInstanceType}", "            - InstanceType: m7g.xlarge"))
                .singleElement().asString().startsWith("instance type not a parameter");
    }

    @Test
    void wildcardActionsAndResourcesAreCaught() throws IOException {
        assertThat(broad("Action: [s3:GetObject, s3:PutObject, s3:DeleteObject,", "Action: [s3:*, s3:DeleteObject,"))
                .contains("InstanceRole/ReadAndWriteTheLakeCheckpointsAndSavepoints: wildcard action s3:*");
        assertThat(broad("                Action: sns:Publish\n", "                Action: \"*\"\n"))
                .contains("InstanceRole/PublishAlerts: wildcard action *");
        assertThat(broad("Resource: {Fn::Sub: \"arn:${AWS::Partition}:s3:::${DataBucket}/${ArtifactsPrefix}*\"}", "Resource: \"*\""))
                .contains("InstanceRole/ReadTheArtifacts: Resource \"*\"");
        assertThat(broad("Resource: {Fn::Sub: \"arn:${AWS::Partition}:s3:::${DataBucket}/${ArtifactsPrefix}*\"}",
                "Resource: {Fn::Sub: \"arn:${AWS::Partition}:s3:::${DataBucket}/*\"}"))
                .contains("InstanceRole/ReadTheArtifacts: S3 objects not under a prefix parameter: tributary-data/*");
        assertThat(broad("Resource: {Fn::Sub: \"arn:${AWS::Partition}:s3:::${DataBucket}/${ArtifactsPrefix}*\"}",
                "Resource: {Fn::Sub: \"arn:${AWS::Partition}:s3:::*\"}"))
                .contains("InstanceRole/ReadTheArtifacts: S3 outside the bucket parameters: *");
        assertThat(broad(":table/${GlueDatabase}/*\"}", ":table/*\"}"))
                .contains("InstanceRole/LakeTablesInTheGlueCatalog: every resource of the service: arn:aws:glue:xx-test-1:000011112222:table/*");
        assertThat(broad("                Condition:\n                  StringEquals: {cloudwatch:namespace: {Ref: MetricsNamespace}}\n", ""))
                .contains("InstanceRole/MetricsInOneNamespace: Resource \"*\"");
    }

    @Test
    void literalAccountsRegionsAndPartitionsAreCaught() {
        assertThat(EmrTemplateCheck.literalAccountsRegionsAndPartitions("Resource: arn:aws:sns:eu-west-1:123456789012:alerts"))
                .containsExactly("literal 123456789012 at offset 32", "literal eu-west-1 at offset 22", "literal arn:aws: at offset 10");
        assertThat(EmrTemplateCheck.literalAccountsRegionsAndPartitions("\"arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:x\""))
                .isEmpty();
    }

    @Test
    void aRegionThatIsNotTheParameterIsCaught() throws IOException {
        assertThat(notParameterized(":glue:${Region}:${AWS::AccountId}:catalog", ":glue:${AWS::Region}:${AWS::AccountId}:catalog"))
                .containsExactly("a resource or output takes the region from AWS::Region, not from the Region parameter");
        assertThat(notParameterized("{Fn::Equals: [{Ref: Region}, {Ref: \"AWS::Region\"}]}", "{Fn::Equals: [{Ref: Region}, {Ref: Region}]}"))
                .containsExactly("no rule asserts that the Region parameter is the stack's region (AWS::Region)");
        assertThat(notParameterized("  Region:\n    Type: String\n", "  Region:\n    Type: String\n    Default: eu-west-1\n"))
                .containsExactly("Region is not a String parameter without a default");
    }

    @Test
    void subnetsAndCountsThatAreNotParametersAreCaught() throws IOException {
        assertThat(notParameterized("Ec2SubnetIds: {Ref: SubnetIds}", "Ec2SubnetIds: [subnet-0aaa]"))
                .singleElement().asString().startsWith("Ec2SubnetIds is not a List<AWS::EC2::Subnet::Id> parameter");
        assertThat(notParameterized("TargetSpotCapacity: {Ref: TaskSpotCount}", "TargetSpotCapacity: 4"))
                .containsExactly("task-spot TargetSpotCapacity is not a Number parameter: 4");
        assertThat(notParameterized("TargetOnDemandCapacity: {Ref: CoreInstanceCount}", "TargetOnDemandCapacity: 2"))
                .containsExactly("core TargetOnDemandCapacity is not a Number parameter: 2");
    }

    @Test
    void missingOrWrongFlinkSettingsAreCaught() throws IOException {
        assertThat(flink("            env.java.opts.all: -XX:+UnlockDiagnosticVMOptions -XX:+UseAESCTRIntrinsics\n", ""))
                .containsExactly("the AES-CTR intrinsics on Graviton: none of env.java.opts.all, env.java.opts");
        assertThat(flink("state.backend.type: rocksdb", "state.backend.type: hashmap"))
                .containsExactly("RocksDB state backend: state.backend.type = hashmap");
        assertThat(flink("execution.checkpointing.incremental: \"true\"", "execution.checkpointing.incremental: \"false\""))
                .containsExactly("incremental checkpoints: execution.checkpointing.incremental = false");
        assertThat(flink("execution.checkpointing.dir: {Fn::Sub: \"s3://${DataBucket}/${CheckpointsPrefix}\"}",
                "execution.checkpointing.dir: hdfs:///checkpoints")).containsExactly("checkpoints in the data bucket: execution.checkpointing.dir = hdfs:///checkpoints");
        assertThat(flink("            restart-strategy.type: exponential-delay\n", "")).containsExactly("a restart strategy: none of restart-strategy.type, restart-strategy");
    }

    private static String mutated(String original, String replacement) throws IOException {
        String yaml = Files.readString(TEMPLATE);
        assertThat(yaml).as("the text to break is in the template").contains(original);
        return yaml.replace(original, replacement);
    }

    private static List<String> nonGraviton(String original, String replacement) throws IOException {
        String yaml = mutated(original, replacement);
        return EmrTemplateCheck.nonGravitonInstanceTypes(yaml, EmrTemplateCheck.parse(yaml));
    }

    private static List<String> notParameterized(String original, String replacement) throws IOException {
        return EmrTemplateCheck.notParameterized(EmrTemplateCheck.parse(mutated(original, replacement)));
    }

    private static List<String> broad(String original, String replacement) throws IOException {
        JsonNode template = EmrTemplateCheck.parse(mutated(original, replacement));
        return EmrTemplateCheck.broadPermissions(template, EmrTemplateCheck.evaluator(template, true));
    }

    private static List<String> flink(String original, String replacement) throws IOException {
        JsonNode template = EmrTemplateCheck.parse(mutated(original, replacement));
        return EmrTemplateCheck.missingFlinkSettings(template, EmrTemplateCheck.evaluator(template, false));
    }
}
