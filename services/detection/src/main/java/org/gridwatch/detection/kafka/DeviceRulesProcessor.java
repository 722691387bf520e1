package org.gridwatch.detection.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.SensorType;
import org.gridwatch.detection.domain.DeviceState;
import org.gridwatch.detection.domain.NoDataRule;
import org.gridwatch.detection.domain.RuleScope;
import org.gridwatch.detection.domain.ThresholdRule;
import org.gridwatch.registryview.RegistryState;

/**
 * Runs the rules of the registry on each device: threshold rules on every reading, no-data rules
 * on a wall-clock punctuation. Rules are read from the registry view at each step, so a rule
 * added or changed through the registry applies from the next reading on. State lives in the
 * {@value DetectionTopology#DEVICE_STORE} store.
 */
final class DeviceRulesProcessor implements Processor<String, Reading, String, Detection> {

    private final RegistryState registry;
    private final Duration checkInterval;
    private ProcessorContext<String, Detection> context;
    private KeyValueStore<String, DeviceState> store;

    DeviceRulesProcessor(RegistryState registry, Duration checkInterval) {
        this.registry = registry;
        this.checkInterval = checkInterval;
    }

    @Override
    public void init(ProcessorContext<String, Detection> context) {
        this.context = context;
        this.store = context.getStateStore(DetectionTopology.DEVICE_STORE);
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::checkSilence);
    }

    @Override
    public void process(Record<String, Reading> record) {
        Reading reading = record.value();
        if (reading == null || reading.getDeviceId().isEmpty()) {
            return;
        }
        Optional<Device> known = registry.device(reading.getDeviceId());
        if (known.isEmpty()) {
            // The bridge only lets registered devices through; one removed since has no rules to run.
            return;
        }
        Device device = known.get();
        DeviceState state = store.get(device.getId());
        if (state == null) {
            state = new DeviceState();
            state.deviceId = device.getId();
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Map<String, Rule> rules = new HashMap<>();
        registry.rules().forEach(rule -> rules.put(rule.getId(), rule));

        List<Detection> detections = new ArrayList<>(
                NoDataRule.onReading(state, reading, rules, device.getAreaId(), now));
        for (Rule rule : rules.values()) {
            if (rule.hasThreshold() && RuleScope.applies(rule, device, registry)) {
                DeviceState.Run run = state.runs.computeIfAbsent(rule.getId(), id -> new DeviceState.Run());
                detections.addAll(ThresholdRule.onReading(rule, unit(device, rule.getThreshold().getField()), run,
                        reading, device.getAreaId(), now));
            }
        }
        store.put(device.getId(), state);
        for (Detection detection : detections) {
            context.forward(new Record<>(detection.getSubjectId(), detection, record.timestamp()));
        }
    }

    private void checkSilence(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        List<Rule> noData = registry.rules().stream().filter(Rule::hasNoData).toList();
        if (noData.isEmpty()) {
            return;
        }
        List<KeyValue<String, DeviceState>> changed = new ArrayList<>();
        try (KeyValueIterator<String, DeviceState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, DeviceState> entry = all.next();
                Optional<Device> device = registry.device(entry.key);
                if (device.isEmpty()) {
                    continue;
                }
                for (Rule rule : noData) {
                    if (RuleScope.applies(rule, device.get(), registry)) {
                        NoDataRule.check(rule, entry.value, device.get().getAreaId(), now).ifPresent(detection -> {
                            changed.add(entry);
                            context.forward(new Record<>(detection.getSubjectId(), detection, wallClockMs));
                        });
                    }
                }
            }
        }
        // Written after the scan: changing a store while iterating it is not allowed.
        for (KeyValue<String, DeviceState> entry : changed) {
            store.put(entry.key, entry.value);
        }
    }

    private String unit(Device device, String field) {
        return registry.sensorType(device.getSensorType()).flatMap(type -> type.getFieldsList().stream()
                .filter(f -> f.getName().equals(field)).findFirst()).map(SensorType.Field::getUnit).orElse("");
    }
}
