package org.gridwatch.localstack;

import java.nio.file.Path;

/**
 * HiveMQ CE settings GridWatch needs, used by the local stack and by the Testcontainers path of the
 * tests (docker compose runs Mosquitto, {@code deploy/mqtt/mosquitto.conf}): queues large
 * enough that a stopped ingest-bridge loses nothing, a receive maximum that does not throttle
 * QoS 1 publishers to 10 messages in flight, and the listeners: plain TCP, TLS, or both.
 */
public final class HiveMqConfig {

    /** A TLS listener: its port and the PKCS#12 key store of its certificate. */
    public record TlsListener(int port, Path keyStore, String password) {
    }

    private HiveMqConfig() {
    }

    /** A plain TCP listener only. */
    public static String xml(int port, String bindAddress) {
        return xml(port, null, bindAddress);
    }

    /**
     * @param plainPort the plain TCP listener's port, or 0 for none
     * @param tls       the TLS listener, or null for none
     */
    public static String xml(int plainPort, TlsListener tls, String bindAddress) {
        StringBuilder listeners = new StringBuilder();
        if (plainPort > 0) {
            listeners.append("""
                            <tcp-listener>
                                <port>%d</port>
                                <bind-address>%s</bind-address>
                            </tcp-listener>
                    """.formatted(plainPort, bindAddress));
        }
        if (tls != null) {
            listeners.append("""
                            <tls-tcp-listener>
                                <port>%d</port>
                                <bind-address>%s</bind-address>
                                <tls>
                                    <keystore>
                                        <path>%s</path>
                                        <password>%s</password>
                                        <private-key-password>%s</private-key-password>
                                    </keystore>
                                    <protocols>
                                        <protocol>TLSv1.3</protocol>
                                        <protocol>TLSv1.2</protocol>
                                    </protocols>
                                </tls>
                            </tls-tcp-listener>
                    """.formatted(tls.port(), bindAddress, tls.keyStore(), tls.password(), tls.password()));
        }
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                %s    </listeners>
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
                """.formatted(listeners);
    }
}
