package org.gridwatch.contract;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

/** Kafka serde for one protobuf message type of the contract; see {@link Serdes} for instances. */
public class ProtobufSerde<T extends Message> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Parser<T> parser;

    public ProtobufSerde(Parser<T> parser) {
        this.parser = parser;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : data.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return parser.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException("Not a valid protobuf record on " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the parser is fixed per message type.
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}
