package dev.tributary.emr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules deploy/emr/tributary-emr.yaml must keep, each returning what breaks it (empty when kept), so
 * that a test can show each rule catching a broken copy of the template.
 */
final class EmrTemplateCheck {
    static final String REGION = "xx-test-1";
    static final String ACCOUNT = "000011112222";

    /** Graviton (arm64) instance families EMR offers. */
    private static final Pattern GRAVITON_FAMILY = Pattern.compile("a1|t4g|[mcr][678]gd?|c[67]gn|x2gd|x8g|i[48]g|im4gn|is4gen|g5g");
    /** An EC2 instance type anywhere in a string: family, dot, size. */
    private static final Pattern INSTANCE_TYPE = Pattern.compile("\\b([a-z][a-z0-9-]*)\\.(nano|micro|small|medium|large|[0-9]{0,2}xlarge|metal)\\b");
    private static final Pattern ACCOUNT_ID = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
    private static final Pattern REGION_NAME = Pattern.compile(
            "\\b(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso[a-z]?)-(east|west|north|south|central|northeast|northwest|southeast|southwest)-[0-9]\\b");
    private static final Pattern ARN = Pattern.compile("arn:aws:([a-z0-9-]+):([a-z0-9-]*):([0-9]*):(.+)");
    /** Actions that take no resource but "*"; a statement with them must still have a condition. */
    private static final Set<String> ACTIONS_WITHOUT_RESOURCES = Set.of("cloudwatch:PutMetricData");
    private static final Set<String> BUCKET_PARAMETERS = Set.of("DataBucket", "LogBucket");

    private EmrTemplateCheck() {}

    static JsonNode parse(String yaml) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(yaml);
    }

    /** Sample values: every parameter without a default, and, with {@code everyOption}, every optional ARN and key. */
    static Map<String, JsonNode> sampleParameters(boolean everyOption) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("Region", TextNode.valueOf(REGION));
        values.put("VpcId", TextNode.valueOf("vpc-0abc"));
        ArrayNode subnets = JsonNodeFactory.instance.arrayNode().add("subnet-0aaa").add("subnet-0bbb");
        values.put("SubnetIds", subnets);
        values.put("DataBucket", TextNode.valueOf("tributary-data"));
        values.put("LogBucket", TextNode.valueOf("tributary-logs"));
        if (everyOption) {
            String arnTail = REGION + ":" + ACCOUNT + ":";
            values.put("Ec2KeyName", TextNode.valueOf("ops"));
            values.put("MskClusterArn", TextNode.valueOf("arn:aws:kafka:" + arnTail + "cluster/fleet-msk/1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901-2"));
            values.put("KinesisStreamArn", TextNode.valueOf("arn:aws:kinesis:" + arnTail + "stream/fleet-telemetry"));
            values.put("KinesisEnrichedStreamArn", TextNode.valueOf("arn:aws:kinesis:" + arnTail + "stream/fleet-telemetry-enriched"));
            values.put("KinesisAlertsStreamArn", TextNode.valueOf("arn:aws:kinesis:" + arnTail + "stream/fleet-alerts"));
            values.put("AlertTopicArn", TextNode.valueOf("arn:aws:sns:" + arnTail + "fleet-alerts"));
            values.put("SecretArn", TextNode.valueOf("arn:aws:secretsmanager:" + arnTail + "secret:tributary/kafka-AbCdEf"));
            values.put("KmsKeyArn", TextNode.valueOf("arn:aws:kms:" + arnTail + "key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"));
            values.put("TlsCertificatesObjectKey", TextNode.valueOf("tls/certificates.zip"));
        }
        return values;
    }

    static TemplateEvaluator evaluator(JsonNode template, boolean everyOption) {
        return new TemplateEvaluator(template, sampleParameters(everyOption), REGION, ACCOUNT);
    }

    /** Instance types that are not Graviton: in any string of the template, and in the parameters the fleets use. */
    static List<String> nonGravitonInstanceTypes(String yaml, JsonNode template) {
        List<String> problems = new ArrayList<>();
        Matcher matcher = INSTANCE_TYPE.matcher(yaml);
        while (matcher.find()) {
            if (!GRAVITON_FAMILY.matcher(matcher.group(1)).matches()) {
                problems.add("not Graviton: " + matcher.group());
            }
        }
        for (JsonNode instanceType : fleetInstanceTypes(template)) {
            JsonNode parameter = template.path("Parameters").path(instanceType.path("Ref").asText());
            if (!parameter.has("AllowedValues")) {
                problems.add("instance type without a list of allowed (Graviton) values: " + instanceType);
            }
            for (JsonNode allowed : parameter.path("AllowedValues")) {
                String family = allowed.asText().replaceFirst("\\..*", "");
                if (!GRAVITON_FAMILY.matcher(family).matches()) {
                    problems.add("allowed value not Graviton: " + allowed.asText());
                }
            }
        }
        return problems;
    }

    /** Region, subnets, instance types and counts that are not parameters. */
    static List<String> notParameterized(JsonNode template) {
        List<String> problems = new ArrayList<>();
        JsonNode parameters = template.path("Parameters");
        // The region: a parameter, asserted (in Rules, before anything is created) to be the stack's own, and the only
        // source of the region in the resources.
        if (!parameters.path("Region").path("Type").asText().equals("String") || parameters.path("Region").has("Default")) {
            problems.add("Region is not a String parameter without a default");
        }
        boolean tied = false;
        for (JsonNode rule : template.path("Rules")) {
            for (JsonNode assertion : rule.path("Assertions")) {
                JsonNode equals = assertion.at("/Assert/Fn::Equals");
                tied |= equals.size() == 2 && equals.toString().contains("{\"Ref\":\"Region\"}") && equals.toString().contains("{\"Ref\":\"AWS::Region\"}");
            }
        }
        if (!tied) {
            problems.add("no rule asserts that the Region parameter is the stack's region (AWS::Region)");
        }
        String resources = template.path("Resources").toString() + template.path("Outputs").toString();
        if (resources.contains("AWS::Region")) {
            problems.add("a resource or output takes the region from AWS::Region, not from the Region parameter");
        }
        JsonNode instances = template.at("/Resources/Cluster/Properties/Instances");
        String subnets = instances.path("Ec2SubnetIds").path("Ref").asText();
        if (!parameters.path(subnets).path("Type").asText().equals("List<AWS::EC2::Subnet::Id>")) {
            problems.add("Ec2SubnetIds is not a List<AWS::EC2::Subnet::Id> parameter: " + instances.path("Ec2SubnetIds"));
        }
        for (JsonNode instanceType : fleetInstanceTypes(template)) {
            if (!parameters.path(instanceType.path("Ref").asText()).path("Type").asText().equals("String")) {
                problems.add("instance type not a parameter: " + instanceType);
            }
        }
        for (JsonNode fleet : fleets(template)) {
            for (String capacity : new String[] {"TargetOnDemandCapacity", "TargetSpotCapacity"}) {
                JsonNode count = fleet.get(capacity);
                if (count != null && !parameters.path(count.path("Ref").asText()).path("Type").asText().equals("Number")) {
                    problems.add(fleet.path("Name").asText() + " " + capacity + " is not a Number parameter: " + count);
                }
            }
        }
        return problems;
    }

    /** Twelve-digit numbers (account ids), region names and a literal partition anywhere in the text. */
    static List<String> literalAccountsRegionsAndPartitions(String yaml) {
        List<String> problems = new ArrayList<>();
        for (Pattern pattern : new Pattern[] {ACCOUNT_ID, REGION_NAME, Pattern.compile("arn:aws(-cn|-us-gov)?:")}) {
            Matcher matcher = pattern.matcher(yaml);
            while (matcher.find()) {
                problems.add("literal " + matcher.group() + " at offset " + matcher.start());
            }
        }
        return problems;
    }

    /**
     * Wildcards in the roles' policies, as CloudFormation would create them: actions with "*", NotAction or
     * NotResource, "Resource: *" (but for actions that take no resource, under a condition), ARNs of another
     * account or region, S3 resources outside the bucket parameters or not under one of the prefix parameters.
     */
    static List<String> broadPermissions(JsonNode template, TemplateEvaluator evaluator) {
        List<String> problems = new ArrayList<>();
        Set<String> prefixes = new HashSet<>();
        Set<String> buckets = new HashSet<>();
        for (Iterator<String> names = template.path("Parameters").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.endsWith("Prefix")) {
                prefixes.add(parameter(evaluator, name));
            }
        }
        for (String bucket : BUCKET_PARAMETERS) {
            buckets.add(parameter(evaluator, bucket));
        }
        for (Iterator<Map.Entry<String, JsonNode>> resources = template.path("Resources").fields(); resources.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = resources.next();
            if (!resource.getValue().path("Type").asText().startsWith("AWS::IAM::")) {
                continue;
            }
            JsonNode properties = evaluator.properties(resource.getKey());
            for (JsonNode statement : properties.path("AssumeRolePolicyDocument").path("Statement")) {
                checkActions(resource.getKey(), statement, problems);
            }
            List<JsonNode> documents = new ArrayList<>();
            properties.path("Policies").forEach(policy -> documents.add(policy.path("PolicyDocument")));
            if (properties.has("PolicyDocument")) {
                documents.add(properties.get("PolicyDocument"));
            }
            for (JsonNode document : documents) {
                for (JsonNode statement : document.path("Statement")) {
                    String where = resource.getKey() + "/" + statement.path("Sid").asText("?");
                    checkActions(where, statement, problems);
                    checkResources(where, statement, buckets, prefixes, problems);
                }
            }
        }
        return problems;
    }

    /** Flink settings the cluster must have in its flink-conf classification, by the keys that may carry each. */
    static List<String> missingFlinkSettings(JsonNode template, TemplateEvaluator evaluator) {
        JsonNode flink = null;
        for (JsonNode configuration : evaluator.properties("Cluster").path("Configurations")) {
            if (configuration.path("Classification").asText().equals("flink-conf")) {
                flink = configuration.path("ConfigurationProperties");
            }
        }
        if (flink == null) {
            return List.of("no flink-conf classification");
        }
        String dataBucket = parameter(evaluator, "DataBucket");
        List<String> problems = new ArrayList<>();
        require(flink, problems, "RocksDB state backend", "rocksdb"::equals, "state.backend.type", "state.backend");
        require(flink, problems, "incremental checkpoints", "true"::equals, "execution.checkpointing.incremental", "state.backend.incremental");
        require(flink, problems, "checkpoints in the data bucket", value -> value.startsWith("s3://" + dataBucket + "/"),
                "execution.checkpointing.dir", "state.checkpoints.dir");
        require(flink, problems, "savepoints in the data bucket", value -> value.startsWith("s3://" + dataBucket + "/"),
                "execution.checkpointing.savepoint-dir", "state.savepoints.dir");
        require(flink, problems, "a restart strategy", value -> Set.of("exponential-delay", "failure-rate", "fixed-delay").contains(value),
                "restart-strategy.type", "restart-strategy");
        require(flink, problems, "the AES-CTR intrinsics on Graviton",
                value -> value.contains("-XX:+UnlockDiagnosticVMOptions") && value.contains("-XX:+UseAESCTRIntrinsics"),
                "env.java.opts.all", "env.java.opts");
        return problems;
    }

    private static String parameter(TemplateEvaluator evaluator, String name) {
        return evaluator.evaluate(JsonNodeFactory.instance.objectNode().put("Ref", name)).asText();
    }

    private static void require(JsonNode settings, List<String> problems, String what, Predicate<String> valid, String... keys) {
        for (String key : keys) {
            if (settings.has(key)) {
                if (!valid.test(settings.get(key).asText())) {
                    problems.add(what + ": " + key + " = " + settings.get(key).asText());
                }
                return;
            }
        }
        problems.add(what + ": none of " + String.join(", ", keys));
    }

    private static void checkActions(String where, JsonNode statement, List<String> problems) {
        if (statement.has("NotAction") || statement.has("NotResource")) {
            problems.add(where + ": NotAction/NotResource");
        }
        for (JsonNode action : asList(statement.path("Action"))) {
            if (action.asText().contains("*")) {
                problems.add(where + ": wildcard action " + action.asText());
            }
        }
    }

    private static void checkResources(String where, JsonNode statement, Set<String> buckets, Set<String> prefixes, List<String> problems) {
        List<JsonNode> resources = asList(statement.path("Resource"));
        if (resources.isEmpty()) {
            problems.add(where + ": no resource");
        }
        for (JsonNode resourceNode : resources) {
            String resource = resourceNode.asText();
            if (resource.equals("*")) {
                boolean withoutResources = asList(statement.path("Action")).stream().allMatch(action -> ACTIONS_WITHOUT_RESOURCES.contains(action.asText()));
                if (!withoutResources || !statement.has("Condition")) {
                    problems.add(where + ": Resource \"*\"");
                }
                continue;
            }
            Matcher arn = ARN.matcher(resource);
            if (!arn.matches()) {
                problems.add(where + ": not an ARN: " + resource);
                continue;
            }
            String service = arn.group(1);
            String resourcePart = arn.group(4);
            if (service.equals("s3")) {
                checkS3(where, resourcePart, buckets, prefixes, problems);
                continue;
            }
            if (!arn.group(3).equals(ACCOUNT) || !(arn.group(2).equals(REGION) || (arn.group(2).isEmpty() && service.equals("iam")))) {
                problems.add(where + ": another account or region: " + resource);
            }
            if (resourcePart.startsWith("*") || resourcePart.matches("[a-z-]+[/:]\\*")) {
                problems.add(where + ": every resource of the service: " + resource);
            }
        }
    }

    private static void checkS3(String where, String path, Set<String> buckets, Set<String> prefixes, List<String> problems) {
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        if (!buckets.contains(bucket)) {
            problems.add(where + ": S3 outside the bucket parameters: " + path);
            return;
        }
        if (slash < 0) {
            return;
        }
        String key = path.substring(slash + 1);
        boolean underPrefix = prefixes.stream().anyMatch(prefix -> !prefix.isEmpty() && key.startsWith(prefix) && !prefix.contains("*"));
        if (!underPrefix) {
            problems.add(where + ": S3 objects not under a prefix parameter: " + path);
        } else if (key.indexOf('*') >= 0 && key.indexOf('*') != key.length() - 1) {
            problems.add(where + ": S3 wildcard inside the key: " + path);
        }
    }

    private static List<JsonNode> asList(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(list::add);
        } else if (!node.isMissingNode() && !node.isNull()) {
            list.add(node);
        }
        return list;
    }

    private static List<JsonNode> fleets(JsonNode template) {
        JsonNode instances = template.at("/Resources/Cluster/Properties/Instances");
        List<JsonNode> fleets = new ArrayList<>();
        for (String single : new String[] {"MasterInstanceFleet", "CoreInstanceFleet"}) {
            if (instances.has(single)) {
                fleets.add(instances.get(single));
            }
        }
        JsonNode tasks = instances.path("TaskInstanceFleets");
        if (tasks.has("Fn::If")) {
            tasks = tasks.get("Fn::If").get(1);
        }
        tasks.forEach(fleets::add);
        return fleets;
    }

    private static List<JsonNode> fleetInstanceTypes(JsonNode template) {
        List<JsonNode> types = new ArrayList<>();
        for (JsonNode fleet : fleets(template)) {
            fleet.path("InstanceTypeConfigs").forEach(config -> types.add(config.path("InstanceType")));
        }
        return types;
    }
}
