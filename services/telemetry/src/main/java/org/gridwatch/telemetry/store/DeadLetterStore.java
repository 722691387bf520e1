package org.gridwatch.telemetry.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.gridwatch.contract.Topics;

/**
 * The dead letters of every service, as they were set aside: reason, detail, where the record came
 * from, and its bytes. Written a Kafka batch at a time; read newest first for the integrator.
 */
@ApplicationScoped
public class DeadLetterStore {

    /** A dead letter as the API shows it: the payload as text when it is UTF-8, else base64. */
    public record StoredDeadLetter(Instant recordedAt, String topic, String service, String reason, String detail,
                                   String source, String gatewayId, String contentType, String key, String payload,
                                   String payloadEncoding, int payloadBytes) {
    }

    @Inject
    DataSource dataSource;

    public void write(List<ConsumerRecord<String, byte[]>> records) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO telemetry.dead_letter (recorded_at, topic, kafka_partition, kafka_offset, record_key,
                         reason, detail, source, gateway_id, content_type, payload)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (ConsumerRecord<String, byte[]> record : records) {
                insert.setTimestamp(1, Timestamp.from(Instant.ofEpochMilli(record.timestamp())));
                insert.setString(2, record.topic());
                insert.setInt(3, record.partition());
                insert.setLong(4, record.offset());
                insert.setString(5, record.key());
                String reason = header(record, Topics.HEADER_REASON);
                insert.setString(6, reason == null ? "UNKNOWN" : reason);
                String detail = header(record, Topics.HEADER_DETAIL);
                insert.setString(7, detail == null ? "" : detail);
                insert.setString(8, header(record, Topics.HEADER_SOURCE_TOPIC));
                insert.setString(9, header(record, Topics.HEADER_GATEWAY));
                insert.setString(10, header(record, Topics.HEADER_CONTENT_TYPE));
                insert.setBytes(11, record.value() == null ? new byte[0] : record.value());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Newest first, those recorded before {@code before} (the last of the previous page), of a topic or reason. */
    public List<StoredDeadLetter> list(String topic, String reason, Instant before, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT recorded_at, topic, reason, detail, source, gateway_id, content_type, record_key, payload
                     FROM telemetry.dead_letter
                     WHERE (?::text IS NULL OR topic = ?) AND (?::text IS NULL OR reason = ?)
                       AND (?::timestamptz IS NULL OR recorded_at < ?)
                     ORDER BY recorded_at DESC, kafka_offset DESC LIMIT ?""")) {
            query.setString(1, topic);
            query.setString(2, topic);
            query.setString(3, reason);
            query.setString(4, reason);
            Timestamp until = before == null ? null : Timestamp.from(before);
            query.setTimestamp(5, until);
            query.setTimestamp(6, until);
            query.setInt(7, limit);
            List<StoredDeadLetter> letters = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byte[] payload = rows.getBytes("payload");
                    String text = utf8(payload);
                    String storedTopic = rows.getString("topic");
                    letters.add(new StoredDeadLetter(rows.getTimestamp("recorded_at").toInstant(), storedTopic,
                            service(storedTopic), rows.getString("reason"), rows.getString("detail"),
                            rows.getString("source"), rows.getString("gateway_id"), rows.getString("content_type"),
                            rows.getString("record_key"), text != null ? text : Base64.getEncoder().encodeToString(payload),
                            text != null ? "utf-8" : "base64", payload.length));
                }
            }
            return letters;
        }
    }

    /** gridwatch.ingest.dead-letter.v1 -> ingest. */
    static String service(String topic) {
        String name = topic.startsWith("gridwatch.") ? topic.substring("gridwatch.".length()) : topic;
        int end = name.indexOf(".dead-letter");
        return end > 0 ? name.substring(0, end) : name;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The bytes as text when they are valid UTF-8 (JSON, a reading as a gateway sent it), else null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
