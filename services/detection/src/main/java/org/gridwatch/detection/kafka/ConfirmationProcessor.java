package org.gridwatch.detection.kafka;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.detection.domain.ConfirmedRule;
import org.gridwatch.detection.domain.RuleScope;
import org.gridwatch.registryview.RegistryState;

/** Runs the confirmation rules on readings regrouped by building, where a building's sensors meet. */
final class ConfirmationProcessor implements Processor<String, Reading, String, Detection> {

    private final RegistryState registry;
    private ProcessorContext<String, Detection> context;
    private KeyValueStore<String, ConfirmedRule.AreaState> store;

    ConfirmationProcessor(RegistryState registry) {
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<String, Detection> context) {
        this.context = context;
        this.store = context.getStateStore(DetectionTopology.AREA_STORE);
    }

    @Override
    public void process(Record<String, Reading> record) {
        Reading reading = record.value();
        Optional<Device> device = reading == null ? Optional.empty() : registry.device(reading.getDeviceId());
        if (device.isEmpty()) {
            return;
        }
        ConfirmedRule.AreaState state = store.get(record.key());
        if (state == null) {
            state = new ConfirmedRule.AreaState();
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        List<Detection> detections = new ArrayList<>();
        for (Rule rule : registry.rules()) {
            // The rule's sensor types name its primary sensors only: confirming ones come from any type.
            if (rule.hasConfirmed() && !rule.getDisabled()
                    && RuleScope.inArea(rule, device.get().getAreaId(), registry)) {
                detections.addAll(ConfirmedRule.onReading(rule, state, device.get(), reading, registry, now));
            }
        }
        store.put(record.key(), state);
        for (Detection detection : detections) {
            context.forward(new Record<>(detection.getSubjectId(), detection, record.timestamp()));
        }
    }
}
