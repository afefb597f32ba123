package dev.tributary.anomaly;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink state serializer for {@link EntityDetectors}: a length-prefixed copy of
 * {@link EntityDetectors#toBytes()}. With the heap state backend the detectors stay live
 * objects and are serialized only for checkpoints.
 */
public final class EntityDetectorsSerializer extends TypeSerializerSingleton<EntityDetectors> {
    public static final EntityDetectorsSerializer INSTANCE = new EntityDetectorsSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public EntityDetectors createInstance() {
        return null;
    }

    @Override
    public EntityDetectors copy(EntityDetectors from) {
        return from == null ? null : EntityDetectors.fromBytes(from.toBytes());
    }

    @Override
    public EntityDetectors copy(EntityDetectors from, EntityDetectors reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(EntityDetectors record, DataOutputView target) throws IOException {
        byte[] bytes = record.toBytes();
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public EntityDetectors deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return EntityDetectors.fromBytes(bytes);
    }

    @Override
    public EntityDetectors deserialize(EntityDetectors reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public TypeSerializerSnapshot<EntityDetectors> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: any version reads any other. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EntityDetectors> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
