package org.gridwatch.alerting.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.gridwatch.plumbing.kafka.DeadLetters;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** alert-routing's dead-letter topic ({@code gridwatch.alert-routing.dead-letter.v1}), for each of its consumers. */
@ApplicationScoped
public class DeadLetterChannel {

    @Inject
    @Channel("dead-letters")
    MutinyEmitter<byte[]> emitter;

    @Inject
    MeterRegistry metrics;

    @Produces
    @Singleton
    DeadLetters deadLetters() {
        return new DeadLetters(emitter, metrics);
    }
}
