package org.gridwatch.localstack;

import java.nio.file.Path;
import java.util.Locale;

/** Command-line options of the launcher; each also reads an environment variable as its default. */
record StackOptions(Path dataDir, int kafkaPort, int kafkaControllerPort, int mqttPort, boolean mqttPlain,
                    int mqttTlsPort, int postgresPort, int oidcPort, boolean exitOnStdinClose) {

    static final String USAGE = """
            usage: java -jar local-stack.jar [options]
              --data-dir DIR               data of all three servers (default .local, env GRIDWATCH_DATA_DIR)
              --kafka-port N               Kafka client port (default 9092, env GRIDWATCH_KAFKA_PORT)
              --kafka-controller-port N    KRaft controller port (default 9093, env GRIDWATCH_KAFKA_CONTROLLER_PORT)
              --mqtt-port N                plain MQTT port (default 1883, env GRIDWATCH_MQTT_PORT)
              --no-mqtt-plain              no plain MQTT listener, TLS only (env GRIDWATCH_MQTT_PLAIN=false)
              --mqtt-tls-port N            MQTT over TLS (default 8883, env GRIDWATCH_MQTT_TLS_PORT)
              --postgres-port N            PostgreSQL port (default 5432, env GRIDWATCH_POSTGRES_PORT)
              --oidc-port N                the local OpenID Connect provider (default 8180, env GRIDWATCH_OIDC_PORT)
              --exit-on-stdin-close        stop when standard input closes (for scripts and tests); lines on it
                                           kill or start a server, for fault tests: 'kill kafka', 'start kafka'
                                           (also mqtt, postgres); each answered by a line 'done: ...'/'failed: ...'
            """;

    static StackOptions parse(String[] args) {
        Path dataDir = Path.of(env("--data-dir", ".local"));
        int kafka = port("--kafka-port", env("--kafka-port", "9092"));
        int controller = port("--kafka-controller-port", env("--kafka-controller-port", "9093"));
        int mqtt = port("--mqtt-port", env("--mqtt-port", "1883"));
        boolean mqttPlain = !"false".equalsIgnoreCase(env("--mqtt-plain", "true"));
        int mqttTls = port("--mqtt-tls-port", env("--mqtt-tls-port", "8883"));
        int postgres = port("--postgres-port", env("--postgres-port", "5432"));
        int oidc = port("--oidc-port", env("--oidc-port", "8180"));
        boolean exitOnStdinClose = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--exit-on-stdin-close" -> exitOnStdinClose = true;
                case "--help", "-h" -> throw new IllegalArgumentException("help requested");
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--kafka-port" -> kafka = port(arg, value(args, ++i, arg));
                case "--kafka-controller-port" -> controller = port(arg, value(args, ++i, arg));
                case "--mqtt-port" -> mqtt = port(arg, value(args, ++i, arg));
                case "--no-mqtt-plain" -> mqttPlain = false;
                case "--mqtt-tls-port" -> mqttTls = port(arg, value(args, ++i, arg));
                case "--postgres-port" -> postgres = port(arg, value(args, ++i, arg));
                case "--oidc-port" -> oidc = port(arg, value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new StackOptions(dataDir.toAbsolutePath(), kafka, controller, mqtt, mqttPlain, mqttTls, postgres, oidc,
                exitOnStdinClose);
    }

    /** GRIDWATCH_KAFKA_PORT for --kafka-port, and so on. */
    static String envName(String option) {
        return "GRIDWATCH_" + option.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static String env(String option, String fallback) {
        String value = System.getenv(envName(option));
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(option + " must be between 1 and 65535, got " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port number, got '" + value + "'");
        }
    }
}
