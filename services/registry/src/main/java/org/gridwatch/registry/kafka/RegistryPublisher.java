package org.gridwatch.registry.kafka;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.gridwatch.contract.TopicAdmin;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.registry.config.RegistryConfig;
import org.gridwatch.registry.domain.SeedFile;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.registryview.RegistryViewBean;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Writes registry changes to the compacted registry topic, which is the registry's store of
 * record: every service, this one included, reads its state back from there.
 */
@ApplicationScoped
public class RegistryPublisher {

    public static final String CHANNEL = "registry-out";
    private static final Logger LOG = Logger.getLogger(RegistryPublisher.class);

    @Inject
    @Channel(CHANNEL)
    MutinyEmitter<RegistryRecord> emitter;

    @Inject
    RegistryViewBean view;

    @Inject
    RegistryConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    void onStart(@Observes StartupEvent event) throws InterruptedException {
        TopicAdmin.ensureTopics(bootstrapServers, List.of(Topics.REGISTRY));
        List<RegistryRecord> seed = SeedFile.loadAll(config.seedFiles());
        if (!view.awaitCaughtUp(config.catchUpTimeout())) {
            throw new IllegalStateException("Could not read the registry topic within " + config.catchUpTimeout());
        }
        List<RegistryRecord> changed = seed.stream().filter(record -> !isCurrent(view.state(), record)).toList();
        publishAll(changed).await().atMost(Duration.ofSeconds(60));
        LOG.infof("Registry seed %s: %d entities, %d published as new or changed", config.seedFiles(), seed.size(),
                changed.size());
    }

    /** Publishes and, once Kafka has it, applies the change to the local view, so a read after a write sees it. */
    public Uni<Void> publish(RegistryRecord record) {
        String key = RegistryState.key(record);
        Message<RegistryRecord> message = Message.of(record)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
        return emitter.sendMessage(message).invoke(() -> view.state().apply(key, record));
    }

    private Uni<Void> publishAll(List<RegistryRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(records).onItem().transformToUniAndMerge(this::publish)
                .collect().last().replaceWithVoid();
    }

    private static boolean isCurrent(RegistryState state, RegistryRecord record) {
        return switch (record.getEntityCase()) {
            case AREA -> state.area(record.getArea().getId()).map(record.getArea()::equals).orElse(false);
            case GATEWAY -> state.gateway(record.getGateway().getId()).map(record.getGateway()::equals).orElse(false);
            case DEVICE -> state.device(record.getDevice().getId()).map(record.getDevice()::equals).orElse(false);
            case WORKER -> state.worker(record.getWorker().getId()).map(record.getWorker()::equals).orElse(false);
            case RESIDENT -> state.residents().contains(record.getResident());
            case SENSOR_TYPE -> state.sensorType(record.getSensorType().getName())
                    .map(record.getSensorType()::equals).orElse(false);
            case RULE -> state.rule(record.getRule().getId()).map(record.getRule()::equals).orElse(false);
            case MQTT_CREDENTIAL -> state.mqttCredential(record.getMqttCredential().getPrincipal())
                    .map(record.getMqttCredential()::equals).orElse(false);
            case ENTITY_NOT_SET -> true;
        };
    }
}
