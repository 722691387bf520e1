package org.gridwatch.alerting.kafka;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.gridwatch.contract.TopicAdmin;
import org.gridwatch.contract.Topics;

import io.quarkus.runtime.StartupEvent;

/** Creates the topics alert-routing reads and writes, with their partitions, if they do not exist yet. */
@ApplicationScoped
public class AlertTopics {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    void ensure(@Observes StartupEvent start) {
        TopicAdmin.ensureTopics(bootstrapServers, List.of(Topics.DETECTIONS, Topics.ALERT_EVENTS, Topics.TASK_EVENTS,
                Topics.ALERT_ROUTING_DEAD_LETTER));
    }
}
