package org.gridwatch.systemtests;

import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridwatch.contract.Timestamps;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.Severity;

/** Writes detections to the detections topic as detection would, keyed by subject. */
final class DetectionSender implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    DetectionSender(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    static Detection raised(String detectionId, String subject, String kind, String areaId) {
        return Detection.newBuilder().setDetectionId(detectionId).setPhase(Detection.Phase.RAISED).setKind(kind)
                .setSeverity(Severity.CRITICAL).setSubjectId(subject).setDeviceId(subject).setAreaId(areaId)
                .setDetectedAt(Timestamps.of(Instant.now())).setSummary(kind + " for " + subject).build();
    }

    /** Sends and waits until Kafka has them all. */
    void send(List<Detection> detections) {
        sendNow(detections);
        producer.flush();
    }

    /** Sends without waiting (the producer batches as it goes). */
    void sendNow(List<Detection> detections) {
        for (Detection detection : detections) {
            producer.send(new ProducerRecord<>(Topics.DETECTIONS, detection.getSubjectId(), detection.toByteArray()));
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
