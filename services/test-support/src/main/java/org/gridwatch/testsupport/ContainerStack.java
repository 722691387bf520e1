package org.gridwatch.testsupport;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.gridwatch.localstack.HiveMqConfig;

/** The Docker path: TimescaleDB, Apache Kafka and HiveMQ CE containers, reused for the whole test JVM. */
final class ContainerStack {

    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    static final String TIMESCALE_IMAGE = "timescale/timescaledb:2.23.0-pg17";
    static final String HIVEMQ_IMAGE = "hivemq/hivemq-ce:2025.5";

    private ContainerStack() {
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' Ryuk when the JVM exits
    static Endpoints start() {
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
        PostgreSQLContainer postgres = new PostgreSQLContainer(
                DockerImageName.parse(TIMESCALE_IMAGE).asCompatibleSubstituteFor("postgres"))
                .withDatabaseName("gridwatch").withUsername("postgres").withPassword("postgres");
        GenericContainer<?> mqtt = new GenericContainer<>(DockerImageName.parse(HIVEMQ_IMAGE))
                .withCopyToContainer(Transferable.of(HiveMqConfig.xml(1883, "0.0.0.0")), "/opt/hivemq/conf/config.xml")
                .withExposedPorts(1883)
                .waitingFor(Wait.forLogMessage(".*Started HiveMQ in.*", 1));
        kafka.start();
        postgres.start();
        mqtt.start();
        return new Endpoints(kafka.getBootstrapServers(),
                "tcp://" + mqtt.getHost() + ":" + mqtt.getMappedPort(1883), "", null,
                postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(), null, "Testcontainers");
    }
}
