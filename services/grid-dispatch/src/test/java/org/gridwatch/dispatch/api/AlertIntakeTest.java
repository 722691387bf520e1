package org.gridwatch.dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.gridwatch.dispatch.api.DispatchApi.json;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.TaskEvent;
import org.gridwatch.dispatch.store.TaskAssigner;
import org.gridwatch.registryview.RegistryState;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Alert events on their way to tasks when something goes wrong, against the real Kafka broker and
 * PostgreSQL: a failure that passes holds the event until it goes through (the service not ready
 * meanwhile) and never sends it to the dead-letter topic; a record that cannot be decoded goes
 * there, as it came, with the reason and where it came from.
 */
@QuarkusTest
class AlertIntakeTest extends DispatchTest {

    @Inject
    TaskAssigner assigner;

    @Test
    void anAlertWhoseTaskLosesRaceAfterRaceGetsItsTaskInTheEndAndIsNeverDeadLettered() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        String worker = area.worker("w", area.g1, "welfare-visit");
        area.publish(bootstrap, registry);
        TaskAssigner real = ClientProxy.unwrap(assigner);
        AtomicInteger attempts = new AtomicInteger();
        // More lost races in a row than a request retries: a consumer must not give up on any number of them.
        QuarkusMock.installMockForType(new TaskAssigner() {
            @Override
            public List<TaskEvent> createForAlert(AlertEvent alert, RegistryState state) throws SQLException {
                if (attempts.incrementAndGet() <= 6) {
                    throw new SQLException("could not serialize access due to concurrent update (injected)", "40001");
                }
                return real.createForAlert(alert, state);
            }
        }, TaskAssigner.class);
        AlertEvent alert = opened(area, "vital-signs.heart-rate");

        publishAlertEvent(alert);

        await("the service not ready while the alert waits").atMost(Duration.ofSeconds(10))
                .until(() -> readiness().contains("alert-events consumer"));
        JsonNode task = await("the alert's task").atMost(Duration.ofSeconds(30)).until(
                () -> json(api.console("GET", "/api/v1/tasks?alertId=" + alert.getAlertId(), "op", null), 200),
                tasks -> tasks.size() == 1).get(0);
        assertThat(task.get("state").asText()).isEqualTo("ASSIGNED");
        assertThat(task.get("workerId").asText()).isEqualTo(worker);
        assertThat(attempts.get()).isEqualTo(7);
        await("ready again").atMost(Duration.ofSeconds(10)).until(() -> !readiness().contains("alert-events consumer"));
        assertThat(deadLetters(alert.getAlertId(), Duration.ofSeconds(2))).as("dead letters of the alert").isEmpty();
    }

    @Test
    void aRecordThatCannotBeDecodedIsDeadLetteredAsItCameWithTheReasonAndTheConsumerGoesOn() throws Exception {
        DispatchApi.Area2 area = new DispatchApi.Area2();
        area.worker("w", area.g1);
        area.publish(bootstrap, registry);
        String key = "garbage-" + UUID.randomUUID();
        byte[] garbage = "{not an alert event".getBytes(StandardCharsets.UTF_8);
        AlertEvent after = opened(area, "vital-signs.heart-rate");

        publishAlertEvent(key, garbage);
        publishAlertEvent(after);

        List<ConsumerRecord<String, byte[]>> dead = deadLetters(key, Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        ConsumerRecord<String, byte[]> letter = dead.get(0);
        assertThat(letter.value()).as("the original bytes").isEqualTo(garbage);
        assertThat(header(letter, Topics.HEADER_REASON)).isEqualTo("UNDECODABLE");
        assertThat(header(letter, Topics.HEADER_DETAIL)).isNotBlank();
        assertThat(header(letter, Topics.HEADER_SOURCE_TOPIC)).startsWith(Topics.ALERT_EVENTS + "/");
        await("the next alert's task").atMost(Duration.ofSeconds(30)).until(() -> json(api.console("GET",
                "/api/v1/tasks?alertId=" + after.getAlertId(), "op", null), 200).size() == 1);
    }

    private String readiness() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(root.resolve("/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The dead letters of a key, read from the start of the topic for {@code within}. */
    private List<ConsumerRecord<String, byte[]>> deadLetters(String key, Duration within) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("group.id", "dead-letter-check-" + UUID.randomUUID());
        config.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.GRID_DISPATCH_DEAD_LETTER));
            long end = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < end && found.isEmpty()) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
