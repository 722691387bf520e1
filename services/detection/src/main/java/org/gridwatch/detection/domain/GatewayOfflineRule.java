package org.gridwatch.detection.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Evidence;
import org.gridwatch.contract.v1.Gateway;
import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.Severity;
import org.gridwatch.registryview.RegistryState;

/**
 * D1: a gateway offline, from its status topic: its own OFFLINE or the Last Will the broker
 * publishes for it after 1.5 keep-alives (MQTT 3.1.1 3.1.2-24). Its next ONLINE clears.
 */
public final class GatewayOfflineRule {

    /** What detection remembers per gateway: raised rule id -> when the gateway went offline. */
    public static class GatewayState {
        public Map<String, Long> raised = new HashMap<>();
    }

    private GatewayOfflineRule() {
    }

    public static List<Detection> onStatus(List<Rule> rules, Gateway gateway, GatewayState state, GatewayStatus status,
                                           RegistryState registry, Instant now) {
        long at = status.hasObservedAt() ? Timestamps.toInstant(status.getObservedAt()).toEpochMilli()
                : now.toEpochMilli();
        List<Detection> out = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule.getDisabled() || !RuleScope.inArea(rule, gateway.getAreaId(), registry)) {
                continue;
            }
            Long since = state.raised.get(rule.getId());
            if (status.getState() == GatewayStatus.State.OFFLINE && since == null) {
                state.raised.put(rule.getId(), at);
                out.add(detection(rule, gateway, now, Detection.Phase.RAISED, at,
                        "Gateway " + gateway.getId() + " is offline: its devices cannot report"));
            } else if (status.getState() == GatewayStatus.State.ONLINE && since != null) {
                state.raised.remove(rule.getId());
                out.add(detection(rule, gateway, now, Detection.Phase.CLEARED, since,
                        "Gateway " + gateway.getId() + " is online again"));
            }
        }
        return out;
    }

    private static Detection detection(Rule rule, Gateway gateway, Instant now, Detection.Phase phase, long since,
                                       String summary) {
        Severity severity = Detections.orDefault(rule.getGatewayOffline().getSeverity(), Severity.WARNING);
        String id = rule.getId() + ":" + gateway.getId() + ":" + since + (phase == Detection.Phase.CLEARED ? ":clear" : "");
        // A gateway is no device: the detection's device id stays empty.
        return Detections.of(rule, id, phase, severity, gateway.getId(), "", gateway.getAreaId(), now, since,
                Evidence.newBuilder(), summary);
    }
}
