package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The live board in a real browser, as the operations center uses it: an alert raised from a
 * reading published over MQTT appears without a reload, is acknowledged from the page, is not
 * shown to an operator of another area, and the board comes back on its own after the console
 * restarts, with what was raised meanwhile.
 */
class ConsoleBoardTest extends SystemTest {

    /** A home in grid 2 (building b3): its gateway, mattress and door contact. */
    private static final String GATEWAY = "gw-b3-301";
    private static final String MATTRESS = "mat-b3-301";
    private static final String DOOR = "door-b3-301";

    /** Records, in the page, when each alert's row first appeared (the browser's clock is the machine's). */
    private static final String WATCH_ROWS = """
            window.seenAt = window.seenAt || {};
            const note = () => document.querySelectorAll('[data-alert-id]').forEach(row => {
              if (!(row.dataset.alertId in window.seenAt)) window.seenAt[row.dataset.alertId] = Date.now();
            });
            note();
            new MutationObserver(note).observe(document.body, {subtree: true, childList: true});
            """;

    private String console() {
        return system.service(GridWatchSystem.CONSOLE).baseUrl();
    }

    @Test
    void anAlertFromMqttAppearsOnTheBoardAtOnceIsAcknowledgedThereAndStaysOffAnotherAreasBoard() throws Exception {
        try (Browser operator = Browser.open(1920, 1080); Browser otherGrid = Browser.open(1280, 800)) {
            operator.signIn(console(), "op-lf-c1");
            otherGrid.signInAs(console(), "test-op-grid1", List.of("operator"), "lf-c1-g1");
            awaitLive(operator);
            awaitLive(otherGrid);
            operator.script(WATCH_ROWS);
            otherGrid.script(WATCH_ROWS);

            // 75 s of a heart rate of 140 in bed, as the gateway uploads them: observed in the past, sent now.
            Instant start = Instant.now().minusSeconds(80).truncatedTo(ChronoUnit.SECONDS);
            String run = UUID.randomUUID().toString().substring(0, 8);
            try (TestGateway gateway = system.gateway(GATEWAY)) {
                for (int s = 0; s <= 75; s += 5) {
                    gateway.publishJson("""
                            {"eventId":"board-%s-%d","deviceId":"%s","observedAt":"%s","values":{"heartRate":140,"inBed":1}}
                            """.formatted(run, s, MATTRESS, start.plusSeconds(s)));
                }
            }
            AtomicReference<JsonObject> raised = new AtomicReference<>();
            await("the heart-rate alert of " + MATTRESS).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> openAlert(MATTRESS, "vital-signs.heart-rate", raised));
            long raisedAt = System.currentTimeMillis();
            String alertId = raised.get().get("alertId").getAsString();

            operator.waitFor(Duration.ofSeconds(10)).until(d -> operator.script(
                    "return window.seenAt['" + alertId + "'] || null") != null);
            long shownAt = ((Number) operator.script("return window.seenAt['" + alertId + "']")).longValue();
            System.out.printf("Board: alert shown %d ms after the API first listed it (polled every 50 ms)%n",
                    shownAt - raisedAt);
            assertThat(shownAt - raisedAt).as("ms from raised to shown, without a reload").isLessThan(2_000);
            WebElement row = operator.driver().findElement(By.id("alert-" + alertId));
            assertThat(row.getAttribute("data-severity")).isEqualTo("CRITICAL");
            assertThat(row.getAttribute("class")).as("a new critical alert flashes").contains("flash");
            assertThat(row.getText()).contains("140 bpm", "b3-301");
            assertThat(Integer.parseInt(operator.driver().findElement(By.cssSelector("#count-critical b")).getText()))
                    .isGreaterThanOrEqualTo(1);
            operator.screenshot("board-wall-1920");

            // Acknowledged on the page: the API records it as the signed-in operator's.
            row.findElement(By.cssSelector("button.ack")).click();
            await("the acknowledgement in the API").atMost(Duration.ofSeconds(10)).until(() ->
                    system.get("alert-routing", "/api/v1/alerts/" + alertId).getAsJsonObject().get("state").getAsString()
                            .equals("ACKNOWLEDGED"));
            JsonObject acknowledged = system.get("alert-routing", "/api/v1/alerts/" + alertId).getAsJsonObject();
            assertThat(acknowledged.get("acknowledgedBy").getAsString()).isEqualTo("op-lf-c1");
            operator.waitFor(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("alert-" + alertId))
                    .getAttribute("data-state").equals("ACKNOWLEDGED"));

            // Grid 1's operator got the same feed's events, but the alert of grid 2 is not theirs.
            otherGrid.driver().navigate().refresh();
            awaitLive(otherGrid);
            assertThat(otherGrid.script("return window.seenAt ? window.seenAt['" + alertId + "'] || null : null")).isNull();
            assertThat(otherGrid.all("#alert-" + alertId)).isEmpty();
            assertThat(otherGrid.all("#area-tree [data-area='lf-c1-g2']")).as("grid 2 is not in their tree").isEmpty();
            otherGrid.screenshot("board-other-grid-1280");
        }
    }

    @Test
    void afterTheConsoleRestartsTheOpenBoardReconnectsAndShowsWhatWasRaisedMeanwhile() throws Exception {
        try (Browser operator = Browser.open(1600, 900)) {
            operator.signIn(console(), "op-lf-c1");
            awaitLive(operator);
            operator.script("window.notReloaded = true;");

            ServiceProcess console = system.service(GridWatchSystem.CONSOLE);
            console.stop();
            operator.waitFor(Duration.ofSeconds(15)).until(d -> d.findElement(By.id("reconnecting")).isDisplayed());
            operator.screenshot("board-reconnecting");

            try (TestGateway gateway = system.gateway(GATEWAY)) {
                gateway.publishJson("""
                        {"eventId":"board-tamper-%s","deviceId":"%s","observedAt":"%s","values":{"open":0,"tamper":1}}
                        """.formatted(UUID.randomUUID(), DOOR, Instant.now()));
            }
            AtomicReference<JsonObject> raised = new AtomicReference<>();
            await("the tamper alert of " + DOOR).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> openAlert(DOOR, "device.tamper", raised));
            String alertId = raised.get().get("alertId").getAsString();
            assertThat(operator.all("#alert-" + alertId)).as("not shown while the console is down").isEmpty();

            console.start();
            console.awaitReady(Duration.ofMinutes(2));
            operator.waitFor(Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("alert-" + alertId)).isEmpty());
            assertThat(operator.driver().findElement(By.id("reconnecting")).isDisplayed()).isFalse();
            assertThat(operator.script("return window.notReloaded === true")).as("the page was not reloaded").isEqualTo(true);
            operator.screenshot("board-after-console-restart");

            // The demo district's language, chosen in the header; and the board on a phone.
            operator.driver().findElement(By.cssSelector("nav.lang a[lang='zh-CN']")).click();
            operator.waitFor(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("count-critical")).getText()
                    .contains("紧急"));
            awaitLive(operator);
            operator.screenshot("board-zh-CN");
            operator.driver().manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            operator.screenshot("board-phone-390");
        }
    }

    private static void awaitLive(Browser browser) {
        browser.waitFor(Duration.ofSeconds(20)).until(d -> "open".equals(
                d.findElement(By.id("live")).getAttribute("data-state")));
    }

    private boolean openAlert(String subject, String kind, AtomicReference<JsonObject> found) {
        for (JsonElement element : system.get("alert-routing", "/api/v1/alerts?state=OPEN&limit=1000").getAsJsonArray()) {
            JsonObject alert = element.getAsJsonObject();
            if (alert.get("subjectId").getAsString().equals(subject) && alert.get("kind").getAsString().equals(kind)) {
                found.set(alert);
                return true;
            }
        }
        return false;
    }
}
