package org.gridwatch.detection.kafka;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
import org.gridwatch.detection.domain.NoActivityRule;
import org.gridwatch.detection.domain.NoDataRule;
import org.gridwatch.detection.domain.PatternRule;
import org.gridwatch.detection.domain.RuleScope;
import org.gridwatch.detection.domain.SilenceTimers;
import org.gridwatch.detection.domain.ThresholdRule;
import org.gridwatch.detection.domain.WindowRules;
import org.gridwatch.registryview.RegistryState;

/**
 * Runs the rules of the registry on each device: threshold and pattern rules on every reading,
 * no-data and no-activity rules on a wall-clock punctuation. Rules are read from the registry view
 * at each step, so a rule added or changed through the registry applies from the next reading on.
 * State lives in the {@value DetectionTopology#DEVICE_STORE} store; each device with a running
 * silence timer has one wake-up in the {@value DetectionTopology#WAKEUP_STORE} store, keyed by its
 * due time, so the punctuation reads only the devices that are due.
 */
final class DeviceRulesProcessor implements Processor<String, Reading, String, Detection> {

    private final RegistryState registry;
    private final Duration checkInterval;
    private ProcessorContext<String, Detection> context;
    private KeyValueStore<String, DeviceState> store;
    private KeyValueStore<String, String> wakeups;
    /** The timed rules (id, version, switch) the wake-ups were armed for; null until the first check. */
    private String armedFor;
    /** Derived from the registry at {@link #cachedAt} changes: rules by sensor type, time zones by area. */
    private final Map<String, List<Rule>> rulesByType = new HashMap<>();
    private final Map<String, ZoneId> zonesByArea = new HashMap<>();
    private long cachedAt = -1;

    DeviceRulesProcessor(RegistryState registry, Duration checkInterval) {
        this.registry = registry;
        this.checkInterval = checkInterval;
    }

    @Override
    public void init(ProcessorContext<String, Detection> context) {
        this.context = context;
        this.store = context.getStateStore(DetectionTopology.DEVICE_STORE);
        this.wakeups = context.getStateStore(DetectionTopology.WAKEUP_STORE);
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

        ZoneId zone = zoneOf(device);
        long previousReceivedAt = state.lastReceivedAt;
        List<Detection> detections = new ArrayList<>(
                NoDataRule.onReading(state, reading, rules, device.getAreaId(), now));
        List<Rule> noActivity = new ArrayList<>();
        for (Rule rule : rulesFor(device)) {
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
                detections.addAll(PatternRule.onReading(rule, run, reading, device.getPropertiesMap(), device.getAreaId(), zone,
                        now));
            } else if (rule.hasRateOfChange()) {
                DeviceState.Run run = state.runs.computeIfAbsent(rule.getId(), id -> new DeviceState.Run());
                detections.addAll(WindowRules.rateOfChange(rule, unit(device, rule.getRateOfChange().getField()), run,
                        reading, device.getAreaId(), now));
            } else if (rule.hasRepeated()) {
                DeviceState.Run run = state.runs.computeIfAbsent(rule.getId(), id -> new DeviceState.Run());
                detections.addAll(WindowRules.repeated(rule, run, reading, device.getAreaId(), now));
            }
        }
        detections.addAll(NoActivityRule.onReading(noActivity, state, reading, device.getAreaId(), now,
                previousReceivedAt, silenceHoldMs(device)));
        arm(device, state, now.toEpochMilli(), 0);
        store.put(device.getId(), state);
        for (Detection detection : detections) {
            context.forward(new Record<>(detection.getSubjectId(), detection, record.timestamp()));
        }
    }

    private void checkSilence(long wallClockMs) {
        String timedRules = timedRulesSignature();
        if (!timedRules.equals(armedFor)) {
            // Started, or a timed rule was added, changed or switched: arm every device for the rules as they are now.
            rearmAll(wallClockMs);
            armedFor = timedRules;
        }
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, String> wakeup = wakeups.range(FIRST_WAKEUP, wakeupKey(wallClockMs, "\uffff"))) {
            while (wakeup.hasNext()) {
                due.add(wakeup.next().key);
            }
        }
        // Handled after the scan: changing a store while iterating it is not allowed.
        Instant now = Instant.ofEpochMilli(wallClockMs);
        for (String key : due) {
            wakeups.delete(key);
            String deviceId = key.substring(WAKEUP_TIME_DIGITS + 1);
            DeviceState state = store.get(deviceId);
            Optional<Device> device = registry.device(deviceId);
            if (state == null || device.isEmpty()) {
                continue;
            }
            if (state.wakeAt == Long.parseLong(key.substring(0, WAKEUP_TIME_DIGITS))) {
                state.wakeAt = 0;
            }
            for (Rule rule : timedRulesOf(device.get())) {
                if (RuleScope.suppressed(rule, device.get(), registry)) {
                    continue;
                }
                Optional<Detection> raised = rule.hasNoData()
                        ? NoDataRule.check(rule, state, device.get().getAreaId(), now)
                        : NoActivityRule.check(rule, state, device.get().getAreaId(), now, silenceHoldMs(device.get()),
                                zoneOf(device.get()));
                raised.ifPresent(detection -> context.forward(
                        new Record<>(detection.getSubjectId(), detection, wallClockMs)));
            }
            arm(device.get(), state, wallClockMs, SilenceTimers.RECHECK_MS);
            store.put(deviceId, state);
        }
    }

    /**
     * Makes sure the device has a wake-up no later than its next due silence timer. An earlier
     * wake-up left from before is kept: it finds nothing due and arms the right one (cheaper
     * than deleting it on every reading).
     */
    private void arm(Device device, DeviceState state, long nowMs, long overdueDelayMs) {
        long due = SilenceTimers.nextDue(timedRulesOf(device), state, nowMs, overdueDelayMs, zoneOf(device));
        if (due > 0 && (state.wakeAt == 0 || due < state.wakeAt)) {
            wakeups.put(wakeupKey(due, device.getId()), "");
            state.wakeAt = due;
        }
    }

    private void rearmAll(long nowMs) {
        List<KeyValue<String, DeviceState>> changed = new ArrayList<>();
        try (KeyValueIterator<String, DeviceState> all = store.all()) {
            while (all.hasNext()) {
                changed.add(all.next());
            }
        }
        for (KeyValue<String, DeviceState> entry : changed) {
            Optional<Device> device = registry.device(entry.key);
            if (device.isPresent()) {
                entry.value.wakeAt = 0;
                arm(device.get(), entry.value, nowMs, 0);
                store.put(entry.key, entry.value);
            }
        }
    }

    /** The rules that may watch a device of this type (switched on, of its type), cached per registry change. */
    private List<Rule> rulesFor(Device device) {
        refreshCaches();
        return rulesByType.computeIfAbsent(device.getSensorType(), type -> registry.rules().stream()
                .filter(rule -> !rule.getDisabled()
                        && (rule.getSensorTypesCount() == 0 || rule.getSensorTypesList().contains(type)))
                .sorted(java.util.Comparator.comparing(Rule::getId)).toList());
    }

    private void refreshCaches() {
        if (cachedAt != registry.changes()) {
            rulesByType.clear();
            zonesByArea.clear();
            cachedAt = registry.changes();
        }
    }

    private List<Rule> timedRulesOf(Device device) {
        List<Rule> timed = new ArrayList<>();
        for (Rule rule : rulesFor(device)) {
            if (SilenceTimers.isTimed(rule) && RuleScope.applies(rule, device, registry)) {
                timed.add(rule);
            }
        }
        return timed;
    }

    private String timedRulesSignature() {
        StringBuilder signature = new StringBuilder();
        registry.rules().stream().filter(SilenceTimers::isTimed).map(r -> r.getId() + ":" + r.getVersion() + ":"
                + r.getDisabled()).sorted().forEach(part -> signature.append(part).append(','));
        return signature.toString();
    }

    private static final int WAKEUP_TIME_DIGITS = 13;
    private static final String FIRST_WAKEUP = "0".repeat(WAKEUP_TIME_DIGITS);

    /** Due time first, zero-padded, so the store's byte order is time order. */
    private static String wakeupKey(long dueMs, String deviceId) {
        return String.format("%013d|%s", dueMs, deviceId);
    }

    private ZoneId zoneOf(Device device) {
        refreshCaches();
        return zonesByArea.computeIfAbsent(device.getAreaId(), area -> ZoneId.of(registry.timeZoneOf(area)));
    }

    /** How long a device may be silent before its no-activity rules wait for it: three sampling intervals. */
    private long silenceHoldMs(Device device) {
        return registry.sensorType(device.getSensorType()).map(type -> type.getSamplingIntervalSeconds() * 3000L)
                .orElse(0L);
    }

    private String unit(Device device, String field) {
        return registry.sensorType(device.getSensorType()).flatMap(type -> type.getFieldsList().stream()
                .filter(f -> f.getName().equals(field)).findFirst()).map(SensorType.Field::getUnit).orElse("");
    }
}
