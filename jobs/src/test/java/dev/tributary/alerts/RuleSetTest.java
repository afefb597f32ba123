package dev.tributary.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RuleSetTest {
    static RuleSet parse(String yaml) {
        return RuleSet.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "rules.yaml");
    }

    static String rule(String body) {
        return "rules:\n  - name: battery_low\n" + body.indent(4);
    }

    @Test
    void theBundledRulesAreTheDeployedOnes() throws Exception {
        RuleSet bundled = RuleSet.bundled();
        assertThat(bundled.rules()).extracting(Rule::name).containsExactly("headlights_left_on", "battery_low", "coolant_overheat");
        assertThat(bundled.rule("headlights_left_on").holdFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(bundled.rule("battery_low").escalateConditions()).singleElement().extracting(Condition::describe).isEqualTo("battery.voltage_v < 11.3");
        assertThat(bundled.rule("coolant_overheat").suppressFor()).isEqualTo(Duration.ofMinutes(15));
        assertThat(bundled.maxAlertsPerEntityPerHour()).isEqualTo(6);
        // deploy/rules holds the same file, for users to copy and edit.
        assertThat(RuleSet.load(Path.of("..", "deploy", "rules", "fleet-rules.yaml"))).isEqualTo(bundled);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown field   | when: [{field: battery.voltag, below: 11.8}]                  | rule battery_low: field battery.voltag: 'voltag' is not a field of battery (did you mean battery.voltage_v?)",
            "order a boolean | when: [{field: engine.on, above: 1}]                          | rule battery_low: field engine.on: is a boolean; 'above' compares numbers",
            "text for number | when: [{field: battery.voltage_v, below: low}]                | rule battery_low: field battery.voltage_v: is a number; 'below' needs a number",
            "no comparison   | when: [{field: battery.voltage_v}]                            | rule battery_low: field battery.voltage_v: no comparison",
            "bad comparison  | when: [{field: battery.voltage_v, under: 11}]                 | rule battery_low: field battery.voltage_v: unknown comparison 'under'",
            "record field    | when: [{field: battery, equals: 1}]                           | rule battery_low: field battery: battery is a record, not a value",
            "bad duration    | 'when: [{field: battery.voltage_v, below: 11.8}]\nfor: soon'  | rule battery_low: for: expected a duration such as 30s, 5m or 1h, found 'soon'",
            "bad severity    | 'when: [{field: battery.voltage_v, below: 11.8}]\nseverity: panic' | rule battery_low: severity: expected warning or alarm, found 'panic'",
            "misspelt key    | 'when: [{field: battery.voltage_v, below: 11.8}]\nsevrity: alarm' | rule battery_low: sevrity: unknown key in the rule (did you mean severity?)",
            "no conditions   | 'for: 2m'                                                     | rule battery_low: when: expected at least one condition",
            "personal data   | when: [{field: reservation.customer_id, equals: cus-1}]       | rule battery_low: field reservation.customer_id: is personal data",
            "empty escalate  | 'when: [{field: battery.voltage_v, below: 11.8}]\nescalate: {}' | rule battery_low: escalate: expected 'after' or 'when'",
    })
    void errorsNameTheFileTheRuleAndTheField(String name, String body, String expected) {
        assertThatThrownBy(() -> parse(rule(body.replace("\\n", "\n"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("rules file rules.yaml: ")
                .hasMessageContaining(expected);
    }

    @Test
    void namesAreUniqueAndUsableAsTopicNames() {
        assertThatThrownBy(() -> parse("rules:\n  - {name: a, when: [{field: engine.on, equals: true}]}\n  - {name: a, when: [{field: engine.on, equals: false}]}"))
                .hasMessageContaining("rule a: name: another rule has this name");
        assertThatThrownBy(() -> parse("rules:\n  - {name: Battery Low, when: [{field: engine.on, equals: true}]}"))
                .hasMessageContaining("rule Battery Low: name: expected lower-case letters");
        assertThatThrownBy(() -> parse("rules: [ unclosed"))
                .hasMessageContaining("rules file rules.yaml: not valid YAML");
    }

    @Test
    void aWildcardStandsForEveryRecordUnderIt() {
        RuleSet rules = parse(rule("when: [{field: doors.*.open, equals: false}]"));
        assertThat(rules.rule("battery_low").conditions().get(0).fields()).extracting(Object::toString)
                .containsExactly("doors.front_left.open", "doors.front_right.open", "doors.rear_left.open", "doors.rear_right.open", "doors.trunk.open");
    }
}
