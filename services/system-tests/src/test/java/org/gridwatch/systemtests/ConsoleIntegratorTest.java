package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The integrator's pages in a real browser: a reading a gateway sends out of its sensor type's
 * range is set aside by the ingest-bridge, and the integrator finds it on the dead-letters page
 * with its reason, the detail that says what to fix, and the payload as it was sent.
 */
class ConsoleIntegratorTest extends SystemTest {

    private static final String GATEWAY = "gw-b4-101";
    private static final String MATTRESS = "mat-b4-101";

    @Test
    void aReadingOutOfRangeShowsOnTheDeadLettersPageWithItsReasonAndPayload() throws Exception {
        String eventId = "dead-letter-" + UUID.randomUUID();
        try (TestGateway gateway = system.gateway(GATEWAY)) {
            gateway.publishJson("""
                    {"eventId":"%s","deviceId":"%s","observedAt":"%s","values":{"heartRate":900,"inBed":1}}
                    """.formatted(eventId, MATTRESS, Instant.now()));
        }
        String console = system.service(GridWatchSystem.CONSOLE).baseUrl();
        try (Browser integrator = Browser.open(1440, 900)) {
            integrator.signIn(console, "integrator");
            assertThat(integrator.driver().getCurrentUrl()).as("an integrator's home").endsWith("/integrator/dead-letters");
            // Stored by telemetry a moment after the bridge set it aside: the page shows it once it is there.
            integrator.waitFor(Duration.ofSeconds(30)).until(d -> {
                if (d.getPageSource().contains(eventId)) {
                    return true;
                }
                d.navigate().refresh();
                return false;
            });
            WebElement row = integrator.all("tr.dead-letter").stream()
                    .filter(r -> r.getAttribute("innerHTML").contains(eventId)).findFirst().orElseThrow();
            assertThat(row.getAttribute("data-reason")).isEqualTo("OUT_OF_RANGE");
            assertThat(row.findElement(By.cssSelector(".detail")).getText()).contains("heartRate");
            row.findElement(By.tagName("summary")).click();
            assertThat(row.findElement(By.cssSelector("pre.payload")).getText()).contains(eventId, "900");
            integrator.screenshot("integrator-dead-letters-1440");
        }
    }

    @Test
    void aSensorTypeRefusedByTheRegistryShowsEachProblemByItsFieldAndSavesOnceFixed() throws Exception {
        String name = "test-console-" + UUID.randomUUID().toString().substring(0, 8);
        String console = system.service(GridWatchSystem.CONSOLE).baseUrl();
        try (Browser integrator = Browser.open(1440, 900)) {
            integrator.signIn(console, "integrator");
            integrator.driver().get(console + "/integrator/sensor-types/new");
            org.openqa.selenium.WebElement editor = integrator.driver().findElement(By.id("json"));
            editor.clear();
            editor.sendKeys("""
                    {"name": "%s", "description": "water leak under the sink",
                     "fields": [{"name": "leak", "unit": "flag", "min": 5, "max": 1}]}""".formatted(name));
            integrator.click("#save");
            integrator.waitFor(Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector(".problem-item")).isEmpty());
            assertThat(integrator.all(".problem-item").stream().map(p -> p.getAttribute("data-field")))
                    .contains("fields[0].min");
            assertThat(integrator.driver().findElement(By.id("json")).getAttribute("value"))
                    .as("what was written stays").contains("water leak under the sink");
            assertThat(system.getResponse("registry", "/api/v1/sensor-types/" + name).statusCode())
                    .as("nothing saved").isEqualTo(404);
            integrator.screenshot("integrator-sensor-type-refused-1440");

            editor = integrator.driver().findElement(By.id("json"));
            editor.clear();
            editor.sendKeys("""
                    {"name": "%s", "description": "water leak under the sink",
                     "fields": [{"name": "leak", "unit": "flag", "min": 0, "max": 1, "integer": true}]}""".formatted(name));
            integrator.click("#save");
            integrator.waitFor(Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("saved")).isEmpty());
            assertThat(system.getResponse("registry", "/api/v1/sensor-types/" + name).statusCode()).isEqualTo(200);
        }
    }
}
