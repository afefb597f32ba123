package dev.tributary.emr;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a CloudFormation template written with the long-form intrinsic functions (Ref, Fn::Sub,
 * Fn::Join, Fn::Split, Fn::Select, Fn::If, Fn::GetAtt, conditions) for given parameter values, region and
 * account, as CloudFormation would before creating the resources. Parameters not given take their
 * Default. {@code Fn::GetAtt ... Arn} of a role or log group becomes the ARN CloudFormation would return.
 */
final class TemplateEvaluator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final JsonNode template;
    private final Map<String, JsonNode> parameters;
    private final String region;
    private final String accountId;

    TemplateEvaluator(JsonNode template, Map<String, JsonNode> parameters, String region, String accountId) {
        this.template = requireNonNull(template, "template is null");
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.region = requireNonNull(region, "region is null");
        this.accountId = requireNonNull(accountId, "accountId is null");
    }

    /** The resource's properties, resolved; {@code AWS::NoValue} removes the key or element that holds it. */
    JsonNode properties(String logicalId) {
        return evaluate(template.path("Resources").path(logicalId).path("Properties"));
    }

    boolean condition(String name) {
        JsonNode definition = template.path("Conditions").get(name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return evaluate(definition).asBoolean();
    }

    /** {@code node} resolved; null when it is {@code Ref: AWS::NoValue}. */
    JsonNode evaluate(JsonNode node) {
        if (node.isArray()) {
            ArrayNode result = NODES.arrayNode();
            for (JsonNode element : node) {
                JsonNode value = evaluate(element);
                if (value != null) {
                    result.add(value);
                }
            }
            return result;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            String function = node.fieldNames().next();
            JsonNode argument = node.get(function);
            switch (function) {
                case "Ref":
                    return ref(argument.asText());
                case "Fn::Sub":
                    return sub(argument);
                case "Fn::Join":
                    return join(argument);
                case "Fn::Split":
                    return split(argument);
                case "Fn::Select":
                    return evaluate(argument.get(1)).get(evaluate(argument.get(0)).asInt());
                case "Fn::If":
                    return evaluate(condition(argument.get(0).asText()) ? argument.get(1) : argument.get(2));
                case "Fn::GetAtt":
                    return TextNode.valueOf(getAtt(argument.get(0).asText(), argument.get(1).asText()));
                case "Fn::Equals":
                    return NODES.booleanNode(evaluate(argument.get(0)).asText().equals(evaluate(argument.get(1)).asText()));
                case "Fn::Not":
                    return NODES.booleanNode(!evaluate(argument.get(0)).asBoolean());
                case "Fn::And":
                    return NODES.booleanNode(all(argument, true));
                case "Fn::Or":
                    return NODES.booleanNode(!all(argument, false));
                case "Condition":
                    return NODES.booleanNode(condition(argument.asText()));
                default:
                    if (function.startsWith("Fn::")) {
                        throw new IllegalArgumentException("intrinsic function not evaluated here: " + function);
                    }
            }
        }
        ObjectNode result = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = evaluate(field.getValue());
            if (value != null) {
                result.set(field.getKey(), value);
            }
        }
        return result;
    }

    /** True when every condition is {@code expected} (for And), false when one is not (Or inverts it). */
    private boolean all(JsonNode conditions, boolean expected) {
        for (JsonNode condition : conditions) {
            if (evaluate(condition).asBoolean() != expected) {
                return false;
            }
        }
        return true;
    }

    private JsonNode ref(String name) {
        switch (name) {
            case "AWS::NoValue":
                return null;
            case "AWS::Region":
                return TextNode.valueOf(region);
            case "AWS::AccountId":
                return TextNode.valueOf(accountId);
            case "AWS::Partition":
                return TextNode.valueOf("aws");
            case "AWS::StackName":
                return TextNode.valueOf("tributary-test");
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        JsonNode parameter = template.path("Parameters").get(name);
        if (parameter != null) {
            JsonNode defaultValue = parameter.get("Default");
            if (defaultValue == null) {
                throw new IllegalArgumentException("parameter " + name + " has no default and no value was given");
            }
            return parameter.path("Type").asText().startsWith("List<") || parameter.path("Type").asText().equals("CommaDelimitedList")
                    ? list(defaultValue.asText())
                    : TextNode.valueOf(defaultValue.asText());
        }
        JsonNode resource = template.path("Resources").get(name);
        if (resource == null) {
            throw new IllegalArgumentException("Ref to nothing: " + name);
        }
        JsonNode explicitName = resource.path("Properties").get(nameProperty(resource.path("Type").asText()));
        return explicitName == null ? TextNode.valueOf(name) : evaluate(explicitName);
    }

    private String getAtt(String logicalId, String attribute) {
        JsonNode resource = template.path("Resources").get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("Fn::GetAtt of nothing: " + logicalId);
        }
        String type = resource.path("Type").asText();
        if (attribute.equals("Arn") && type.equals("AWS::IAM::Role")) {
            return "arn:aws:iam::" + accountId + ":role/" + ref(logicalId).asText();
        }
        if (attribute.equals("Arn") && type.equals("AWS::Logs::LogGroup")) {
            return "arn:aws:logs:" + region + ":" + accountId + ":log-group:" + ref(logicalId).asText() + ":*";
        }
        return logicalId + "." + attribute;
    }

    private static String nameProperty(String type) {
        return switch (type) {
            case "AWS::IAM::Role" -> "RoleName";
            case "AWS::IAM::InstanceProfile" -> "InstanceProfileName";
            case "AWS::Logs::LogGroup" -> "LogGroupName";
            case "AWS::EMR::SecurityConfiguration" -> "Name";
            default -> "";
        };
    }

    private JsonNode sub(JsonNode argument) {
        String text = argument.isArray() ? argument.get(0).asText() : argument.asText();
        JsonNode variables = argument.isArray() ? argument.get(1) : NODES.objectNode();
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value;
            if (variables.has(name)) {
                value = evaluate(variables.get(name)).asText();
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                value = getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
            } else {
                value = ref(name).asText();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return TextNode.valueOf(out.toString().replace("${!", "${"));
    }

    private JsonNode join(JsonNode argument) {
        List<String> parts = new ArrayList<>();
        for (JsonNode part : evaluate(argument.get(1))) {
            parts.add(part.asText());
        }
        return TextNode.valueOf(String.join(argument.get(0).asText(), parts));
    }

    private JsonNode split(JsonNode argument) {
        String delimiter = argument.get(0).asText();
        String text = evaluate(argument.get(1)).asText();
        ArrayNode parts = NODES.arrayNode();
        int start = 0;
        for (int at = text.indexOf(delimiter); at >= 0; at = text.indexOf(delimiter, start)) {
            parts.add(text.substring(start, at));
            start = at + delimiter.length();
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static ArrayNode list(String commaSeparated) {
        ArrayNode list = NODES.arrayNode();
        for (String element : commaSeparated.split(",")) {
            list.add(element.trim());
        }
        return list;
    }
}
