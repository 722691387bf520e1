package org.gridwatch.alerting.routing;

import java.net.URI;

import jakarta.inject.Inject;

import org.gridwatch.alerting.store.DetectionApplier;
import org.gridwatch.testsupport.GridWatchInfrastructureResource;
import org.gridwatch.testsupport.TestClock;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * What the routing tests share: the API, detections applied as the consumer applies them, and
 * the timers, driven by the test on a clock it moves on (the service's own timers are off in tests).
 */
@QuarkusTestResource(GridWatchInfrastructureResource.class)
abstract class ClockedTest {

    @TestHTTPResource("/api/v1")
    URI apiUrl;

    @Inject
    DetectionApplier alerts;

    @Inject
    EscalationTimer timer;

    @Inject
    TestClock clock;
}
