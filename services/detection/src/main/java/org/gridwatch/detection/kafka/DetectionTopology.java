package org.gridwatch.detection.kafka;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.gridwatch.contract.Serdes.DetectionSerde;
import org.gridwatch.contract.Serdes.GatewayStatusSerde;
import org.gridwatch.contract.Serdes.ReadingSerde;
import org.gridwatch.contract.TopicAdmin;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.Topics;
import org.gridwatch.detection.config.DetectionConfig;
import org.gridwatch.detection.domain.ConfirmedRule;
import org.gridwatch.detection.domain.DeviceState;
import org.gridwatch.detection.domain.GatewayOfflineRule;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.registryview.RegistryViewBean;

import io.quarkus.kafka.client.serialization.ObjectMapperSerde;

/**
 * readings (key = device id) -> the registry's rules per device, with changelogged state ->
 * detections (key = subject id); gateway status (key = gateway id) -> gateway-offline rules ->
 * detections.
 */
@ApplicationScoped
public class DetectionTopology {

    public static final String DEVICE_STORE = "device-state";
    public static final String WAKEUP_STORE = "device-wakeups";
    public static final String GATEWAY_STORE = "gateway-state";
    public static final String AREA_STORE = "building-state";

    @Inject
    DetectionConfig config;

    @Inject
    RegistryViewBean registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Produces
    public Topology topology() {
        // Created here, before Kafka Streams starts, so the output topic gets its partitions rather
        // than the broker's auto-created default.
        TopicAdmin.ensureTopics(bootstrapServers, List.of(Topics.READINGS, Topics.GATEWAY_STATUS, Topics.DETECTIONS,
                Topics.DETECTION_DEAD_LETTER));
        return build(config, registry.state());
    }

    public static Topology build(DetectionConfig config, RegistryState registry) {
        return build(config, registry, true);
    }

    /**
     * @param persistent RocksDB stores with changelogs, as in production; a replay (back-test,
     *                   accuracy evaluation) keeps its state in memory instead, since it is
     *                   thrown away at the end and a test driver commits after every record
     */
    public static Topology build(DetectionConfig config, RegistryState registry, boolean persistent) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(store(DEVICE_STORE, new ObjectMapperSerde<>(DeviceState.class), persistent));
        builder.addStateStore(store(WAKEUP_STORE, Serdes.String(), persistent));
        KStream<String, Reading> readings = builder.stream(Topics.READINGS,
                Consumed.with(Serdes.String(), new ReadingSerde()));
        readings.process(() -> new DeviceRulesProcessor(registry, config.noDataCheckInterval()), DEVICE_STORE,
                        WAKEUP_STORE)
                .to(Topics.DETECTIONS, Produced.with(Serdes.String(), new DetectionSerde()));

        builder.addStateStore(store(GATEWAY_STORE, new ObjectMapperSerde<>(GatewayOfflineRule.GatewayState.class), persistent));
        builder.stream(Topics.GATEWAY_STATUS, Consumed.with(Serdes.String(), new GatewayStatusSerde()))
                .process(() -> new GatewayStatusProcessor(registry), GATEWAY_STORE)
                .to(Topics.DETECTIONS, Produced.with(Serdes.String(), new DetectionSerde()));

        // Confirmation rules need the readings of a building together: regroup them by building.
        builder.addStateStore(store(AREA_STORE, new ObjectMapperSerde<>(ConfirmedRule.AreaState.class), persistent));
        ConfirmationTypes confirmationTypes = new ConfirmationTypes();
        readings.filter((key, reading) -> reading != null && confirms(registry, confirmationTypes, reading.getDeviceId()))
                .selectKey((key, reading) -> ConfirmedRule.groupOf(registry.device(reading.getDeviceId()).orElseThrow(),
                        registry))
                .repartition(Repartitioned.with(Serdes.String(), new ReadingSerde()).withName("by-building"))
                .process(() -> new ConfirmationProcessor(registry), AREA_STORE)
                .to(Topics.DETECTIONS, Produced.with(Serdes.String(), new DetectionSerde()));
        return builder.build();
    }

    /**
     * A key-value store: RocksDB with a changelog in production; in memory and without changelog
     * for a replay, whose test driver would otherwise keep every changelog record it was sent.
     */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values, boolean persistent) {
        StoreBuilder<KeyValueStore<String, V>> builder = Stores.keyValueStoreBuilder(persistent
                ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name), Serdes.String(), values);
        return persistent ? builder : builder.withLoggingDisabled();
    }

    /** Whether a device's readings matter to some confirmation rule, as primary or as confirmation. */
    private static boolean confirms(RegistryState registry, ConfirmationTypes cache, String deviceId) {
        return registry.device(deviceId).map(device -> cache.of(registry).contains(device.getSensorType()))
                .orElse(false);
    }

    /** The sensor types confirmation rules read, worked out again only when the registry changed. */
    private static final class ConfirmationTypes {
        private record Snapshot(long changes, Set<String> types) {
        }

        private volatile Snapshot snapshot = new Snapshot(-1, Set.of());

        Set<String> of(RegistryState registry) {
            Snapshot current = snapshot;
            if (current.changes() != registry.changes()) {
                Set<String> types = new HashSet<>();
                registry.rules().stream().filter(Rule::hasConfirmed).forEach(rule -> {
                    types.addAll(rule.getSensorTypesList());
                    types.addAll(rule.getConfirmed().getConfirmingSensorTypesList());
                });
                current = new Snapshot(registry.changes(), Set.copyOf(types));
                snapshot = current;
            }
            return current.types();
        }
    }
}
