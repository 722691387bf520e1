package org.gridwatch.systemtests;

import java.util.concurrent.CompletableFuture;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** What a test's MQTT client was told by the broker: that it was disconnected (and why), and the topic of the first message. */
final class MqttEvents implements MqttCallback {

    final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();
    final CompletableFuture<String> firstMessageTopic = new CompletableFuture<>();

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        disconnected.complete(response);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        firstMessageTopic.complete(topic);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
