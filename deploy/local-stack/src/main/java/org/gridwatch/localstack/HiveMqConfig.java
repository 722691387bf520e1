package org.gridwatch.localstack;

/**
 * HiveMQ CE settings GridWatch needs, used by the local stack and by the Testcontainers path of the
 * tests ({@code deploy/mqtt/config.xml} holds the same for docker compose): queues large
 * enough that a stopped ingest-bridge loses nothing, and a receive maximum that does not throttle
 * QoS 1 publishers to 10 messages in flight.
 */
public final class HiveMqConfig {

    private HiveMqConfig() {
    }

    public static String xml(int port, String bindAddress) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>5000000</max-queue-size>
                            <strategy>discard</strategy>
                        </queued-messages>
                        <receive-maximum>
                            <server-receive-maximum>1000</server-receive-maximum>
                        </receive-maximum>
                    </mqtt>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, bindAddress);
    }
}
