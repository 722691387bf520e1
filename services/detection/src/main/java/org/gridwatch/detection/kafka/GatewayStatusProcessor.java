package org.gridwatch.detection.kafka;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Gateway;
import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.detection.domain.GatewayOfflineRule;
import org.gridwatch.registryview.RegistryState;

/** Runs the gateway-offline rules of the registry on the gateway status topic. */
final class GatewayStatusProcessor implements Processor<String, GatewayStatus, String, Detection> {

    private final RegistryState registry;
    private ProcessorContext<String, Detection> context;
    private KeyValueStore<String, GatewayOfflineRule.GatewayState> store;

    GatewayStatusProcessor(RegistryState registry) {
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<String, Detection> context) {
        this.context = context;
        this.store = context.getStateStore(DetectionTopology.GATEWAY_STORE);
    }

    @Override
    public void process(Record<String, GatewayStatus> record) {
        GatewayStatus status = record.value();
        if (status == null) {
            return;
        }
        Optional<Gateway> gateway = registry.gateway(status.getGatewayId());
        List<Rule> rules = registry.rules().stream().filter(Rule::hasGatewayOffline).toList();
        if (gateway.isEmpty() || rules.isEmpty()) {
            return;
        }
        GatewayOfflineRule.GatewayState state = store.get(status.getGatewayId());
        if (state == null) {
            state = new GatewayOfflineRule.GatewayState();
        }
        List<Detection> detections = GatewayOfflineRule.onStatus(rules, gateway.get(), state, status, registry,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        store.put(status.getGatewayId(), state);
        for (Detection detection : detections) {
            context.forward(new Record<>(detection.getSubjectId(), detection, record.timestamp()));
        }
    }
}
