package org.gridwatch.detection.kafka;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
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
import org.gridwatch.detection.domain.NoActivityRule;
import org.gridwatch.detection.domain.NoDataRule;
import org.gridwatch.detection.domain.PatternRule;
import org.gridwatch.detection.domain.RuleScope;
import org.gridwatch.detection.domain.ThresholdRule;
import org.gridwatch.detection.domain.WindowRules;
import org.gridwatch.registryview.RegistryState;

/**
 * Runs the rules of the registry on each device: threshold and pattern rules on every reading,
 * no-data and no-activity rules on a wall-clock punctuation. Rules are read from the registry view at each step, so a rule
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
        Map<String, Rule> rules = registry.rulesById();

        ZoneId zone = ZoneId.of(registry.timeZoneOf(device.getAreaId()));
        List<Detection> detections = new ArrayList<>(
                NoDataRule.onReading(state, reading, rules, device.getAreaId(), now));
        List<Rule> noActivity = new ArrayList<>();
        for (Rule rule : rules.values()) {
            if (!RuleScope.applies(rule, device, registry)) {
                continue;
            }
            if (rule.hasNoActivity()) {
                noActivity.add(rule);
            } else if (RuleScope.suppressed(rule, device, registry)) {
                state.runs.remove(rule.getId());
            } else if (rule.hasThreshold()) {
                DeviceState.Run run = state.runs.computeIfAbsent(rule.getId(), id -> new DeviceState.Run());
                detections.addAll(ThresholdRule.onReading(RuleScope.forDevice(rule, device, registry),
                        unit(device, rule.getThreshold().getField()), run, reading, device.getAreaId(), zone, now));
            } else if (rule.hasPattern()) {
                DeviceState.Run run = state.runs.computeIfAbsent(rule.getId(), id -> new DeviceState.Run());
                detections.addAll(PatternRule.onReading(rule, run, reading, device.getAreaId(), zone, now));
            } else if (rule.hasRateOfChange()) {
                DeviceState.Run run = state.runs.computeIfAbsent(rule.getId(), id -> new DeviceState.Run());
                detections.addAll(WindowRules.rateOfChange(rule, unit(device, rule.getRateOfChange().getField()), run,
                        reading, device.getAreaId(), now));
            } else if (rule.hasRepeated()) {
                DeviceState.Run run = state.runs.computeIfAbsent(rule.getId(), id -> new DeviceState.Run());
                detections.addAll(WindowRules.repeated(rule, run, reading, device.getAreaId(), now));
            }
        }
        detections.addAll(NoActivityRule.onReading(noActivity, state, reading, device.getAreaId(), now));
        store.put(device.getId(), state);
        for (Detection detection : detections) {
            context.forward(new Record<>(detection.getSubjectId(), detection, record.timestamp()));
        }
    }

    private void checkSilence(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        List<Rule> timed = registry.rules().stream().filter(r -> r.hasNoData() || r.hasNoActivity()).toList();
        if (timed.isEmpty()) {
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
                for (Rule rule : timed) {
                    if (!RuleScope.applies(rule, device.get(), registry) || RuleScope.suppressed(rule, device.get(), registry)) {
                        continue;
                    }
                    Optional<Detection> raised = rule.hasNoData()
                            ? NoDataRule.check(rule, entry.value, device.get().getAreaId(), now)
                            : NoActivityRule.check(rule, entry.value, device.get().getAreaId(), now);
                    raised.ifPresent(detection -> {
                        changed.add(entry);
                        context.forward(new Record<>(detection.getSubjectId(), detection, wallClockMs));
                    });
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
