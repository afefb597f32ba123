package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class IcebergSchemaDiffTest {
    private static final Schema TABLE = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "quantity", Types.IntegerType.get()),
            Types.NestedField.optional(3, "name", Types.StringType.get()),
            Types.NestedField.optional(4, "mileage", Types.LongType.get()));

    @Test
    void sameShapeHasNoChanges() {
        assertThat(IcebergSchemaDiff.compare("t", TABLE, TABLE)).isEmpty();
    }

    @Test
    void namesEachKindOfChange() {
        Schema incoming = new Schema(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "quantity", Types.LongType.get()),
                Types.NestedField.optional(3, "name", Types.IntegerType.get()),
                Types.NestedField.optional(4, "mileage", Types.IntegerType.get()),
                Types.NestedField.optional(5, "color", Types.StringType.get()));
        List<SchemaChange> changes = IcebergSchemaDiff.compare("fleet.items", TABLE, incoming);
        assertThat(changes).containsExactlyInAnyOrder(
                new SchemaChange("fleet.items", SchemaChange.Kind.TYPE_WIDENED, "quantity", "int", "long"),
                new SchemaChange("fleet.items", SchemaChange.Kind.TYPE_CHANGED, "name", "string", "int"),
                new SchemaChange("fleet.items", SchemaChange.Kind.TYPE_NARROWED, "mileage", "long", "int"),
                new SchemaChange("fleet.items", SchemaChange.Kind.FIELD_ADDED, "color", null, "string"));
        Schema dropped = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
        assertThat(IcebergSchemaDiff.compare("t", TABLE, dropped)).extracting(SchemaChange::kind)
                .containsOnly(SchemaChange.Kind.FIELD_MISSING).hasSize(3);
    }

    @Test
    void evolvingAddsColumnsWithFreshIdsAndWidensTypes() {
        Schema incoming = new Schema(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "quantity", Types.LongType.get()),
                Types.NestedField.optional(3, "tags", Types.ListType.ofOptional(4, Types.StringType.get())));
        Schema evolved = IcebergSchemaDiff.evolve(TABLE, incoming);
        assertThat(evolved.findField("quantity").type()).isEqualTo(Types.LongType.get());
        assertThat(evolved.findField("name")).as("kept: dropping is not evolving").isNotNull();
        assertThat(evolved.findField("tags").fieldId()).isEqualTo(5);
        assertThat(evolved.findField("tags").type().asListType().elementId()).as("fresh, not the incoming 4").isGreaterThan(5);
        assertThat(IcebergSchemaDiff.compare("t", evolved, incoming)).extracting(SchemaChange::kind)
                .containsOnly(SchemaChange.Kind.FIELD_MISSING);
    }
}
