package org.gridwatch.dispatch.api;

import java.net.URI;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.dispatch.deadline.DeadlineTimer;
import org.gridwatch.registryview.RegistryViewBean;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.gridwatch.testsupport.TestClock;
import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * What the grid-dispatch tests share: the service's API as phones and consoles call it, the real
 * Kafka broker (alert events and the registry come in through their topics), and the clock the
 * tests move on to make deadlines fall due.
 */
@QuarkusTestResource(GridWatchInfrastructureResource.class)
abstract class DispatchTest {

    @TestHTTPResource("/")
    URI root;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    RegistryViewBean registry;

    @Inject
    TestClock clock;

    @Inject
    DeadlineTimer deadlines;

    DispatchApi api;

    @BeforeEach
    void api() {
        api = new DispatchApi(root);
    }

    /** An alert of the area's first grid opened, asking for a task. */
    static AlertEvent opened(DispatchApi.Area2 area, String kind) {
        return AlertEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(AlertEvent.Type.TYPE_OPENED)
                .setAlertId(UUID.randomUUID().toString()).setKind(kind).setSeverity(Severity.CRITICAL)
                .setState(AlertEvent.State.STATE_OPEN).setDispatch(true).setSubjectId("mat-" + area.id)
                .setSummary("no breathing detected for 40 s").setActor("system:alert-routing")
                .setLocation(Location.newBuilder().setDistrictId(area.district).setStreetId(area.street)
                        .setCommunityId(area.community).setGridId(area.g1).setBuildingId(area.building)
                        .setUnitId(area.unit)).build();
    }

    /** A record on the alert-events topic, as alert-routing (or a faulty producer) would send it. */
    void publishAlertEvent(String key, byte[] value) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.ALERT_EVENTS, key, value));
        }
    }

    void publishAlertEvent(AlertEvent event) {
        publishAlertEvent(event.getAlertId(), event.toByteArray());
    }
}
