package org.gridwatch.detection.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
import org.gridwatch.detection.domain.DeviceState;
import org.gridwatch.detection.domain.HeartRateRule;
import org.gridwatch.detection.domain.SilenceRule;
import org.gridwatch.registryview.RegistryState;

/**
 * Runs the per-device rules: on every reading (heart rate, and the silence clock), and on a
 * wall-clock punctuation (silence). State lives in the {@value DetectionTopology#DEVICE_STORE} store.
 */
final class DeviceRulesProcessor implements Processor<String, Reading, String, Detection> {

    private final HeartRateRule heartRate;
    private final SilenceRule silence;
    private final RegistryState registry;
    private final Duration checkInterval;
    private ProcessorContext<String, Detection> context;
    private KeyValueStore<String, DeviceState> store;

    DeviceRulesProcessor(HeartRateRule heartRate, SilenceRule silence, RegistryState registry, Duration checkInterval) {
        this.heartRate = heartRate;
        this.silence = silence;
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
        String deviceId = reading.getDeviceId();
        DeviceState state = store.get(deviceId);
        if (state == null) {
            state = new DeviceState();
            state.deviceId = deviceId;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        String areaId = areaOf(deviceId);
        List<Detection> detections = new ArrayList<>();
        silence.onReading(state, reading, areaId, now).ifPresent(detections::add);
        detections.addAll(heartRate.onReading(state, reading, areaId, now));
        store.put(deviceId, state);
        for (Detection detection : detections) {
            context.forward(new Record<>(detection.getSubjectId(), detection, record.timestamp()));
        }
    }

    private void checkSilence(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        List<KeyValue<String, DeviceState>> changed = new ArrayList<>();
        try (KeyValueIterator<String, DeviceState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, DeviceState> entry = all.next();
                DeviceState state = entry.value;
                Device.Power power = registry.device(entry.key).map(Device::getPower).orElse(Device.Power.MAINS);
                silence.check(state, power, areaOf(entry.key), now).ifPresent(detection -> {
                    changed.add(entry);
                    context.forward(new Record<>(detection.getSubjectId(), detection, wallClockMs));
                });
            }
        }
        // Written after the scan: changing a store while iterating it is not allowed.
        for (KeyValue<String, DeviceState> entry : changed) {
            store.put(entry.key, entry.value);
        }
    }

    private String areaOf(String deviceId) {
        return registry.device(deviceId).map(Device::getAreaId).orElse("");
    }
}
