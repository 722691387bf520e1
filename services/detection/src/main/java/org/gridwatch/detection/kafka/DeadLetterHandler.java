package org.gridwatch.detection.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.gridwatch.contract.DeadLetter;
import org.gridwatch.contract.RejectReason;
import org.gridwatch.contract.Topics;
import org.gridwatch.plumbing.kafka.DeadLetters;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Metrics;

/**
 * A record detection cannot decode goes, as it came, to {@value Topics#DETECTION_DEAD_LETTER}
 * with the reason in headers, and detection carries on with the next one: one bad record must
 * not stop detection for everyone, nor vanish without a trace.
 */
public class DeadLetterHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = Logger.getLogger(DeadLetterHandler.class);

    private KafkaProducer<byte[], byte[]> producer;

    @Override
    public void configure(Map<String, ?> configs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, configs.get("bootstrap.servers"));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "gridwatch-detection-dead-letter");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
        DeadLetter letter = new DeadLetter(RejectReason.UNDECODABLE, String.valueOf(exception.getMessage()),
                DeadLetter.source(record.topic(), record.partition(), record.offset()), record.value());
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(Topics.DETECTION_DEAD_LETTER, record.key(),
                letter.payload());
        letter.headers().forEach((name, value) -> dead.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(dead).get(30, TimeUnit.SECONDS);
            // Kafka Streams makes this handler, not CDI: the service's meters are reached through the global registry.
            DeadLetters.count(Metrics.globalRegistry, RejectReason.UNDECODABLE);
            LOG.warnf("Dead-lettered an undecodable record of %s partition %d offset %d: %s", record.topic(),
                    record.partition(), record.offset(), exception.getMessage());
        } catch (Exception e) {
            LOG.errorf(e, "Could not dead-letter the undecodable record of %s partition %d offset %d; skipped",
                    record.topic(), record.partition(), record.offset());
        }
        return DeserializationHandlerResponse.CONTINUE;
    }
}
