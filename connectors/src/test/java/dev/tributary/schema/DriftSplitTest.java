package dev.tributary.schema;

import static dev.tributary.schema.JsonShapeCheckTest.MAPPER;
import static dev.tributary.schema.JsonShapeCheckTest.SCHEMA;
import static dev.tributary.schema.JsonShapeCheckTest.at;
import static dev.tributary.schema.JsonShapeCheckTest.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DriftSplitTest {
    private final DriftSplit split = new DriftSplit(SCHEMA);

    @Test
    void additionsAreFoundAtEveryDepthWithConcretePathsAndTheirTreeKeepsArraysAligned() throws Exception {
        ObjectNode event = valid();
        event.put("battery_health", "good");
        at(event, "vehicle", "body", "doors", "front_left").putObject("sensor").put("ok", true);
        ((ObjectNode) event.get("diagnostics").get(1)).put("freeze_frame_rpm", 900);

        assertThat(split.additions(event)).extracting(DriftSplit.Addition::path)
                .containsExactly("vehicle.body.doors.front_left.sensor", "diagnostics[1].freeze_frame_rpm", "battery_health");
        assertThat(DriftSplit.extensionTree(split.additions(event))).isEqualTo(MAPPER.readTree("""
                {"vehicle": {"body": {"doors": {"front_left": {"sensor": {"ok": true}}}}},
                 "diagnostics": [{}, {"freeze_frame_rpm": 900}],
                 "battery_health": "good"}
                """));
        assertThat(split.additions(valid())).isEmpty();
        assertThat(DriftSplit.extensionTree(split.additions(valid()))).isNull();
    }

    @Test
    void conformTakesOutConflictsWhereTheEventReadsWithoutThemAndReportsTheOthers() throws Exception {
        ObjectNode event = valid();
        at(event, "vehicle", "body").put("color", 7);
        at(event, "vehicle", "body", "doors", "front_left").put("window_pct", "half");
        ((ObjectNode) event.get("tags")).put("tier", 3);
        ((ObjectNode) event.get("diagnostics").get(0)).put("level", "high");

        DriftSplit.Conformed conformed = split.conform(event);

        assertThat(conformed.removed()).containsOnlyKeys("vehicle.body.color", "vehicle.body.doors.front_left.window_pct", "tags{tier}");
        assertThat(conformed.removed().get("tags{tier}").intValue()).isEqualTo(3);
        assertThat(conformed.unresolved()).extracting(DriftSplit.Conflict::path).containsExactly("diagnostics[0].level");
        assertThat(conformed.event().at("/vehicle/body").has("color")).isFalse();
        assertThat(conformed.event().at("/tags").has("tier")).isFalse();
        assertThat(event.at("/vehicle/body/color").intValue()).as("the original is untouched").isEqualTo(7);
    }
}
