package org.gridwatch.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;

import org.gridwatch.testsupport.Tokens;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import com.google.gson.JsonObject;

/**
 * The dispatch loop in real browsers: a grid worker on a phone-sized screen gets the task of an
 * alert pushed to their page, accepts it, arrives and resolves it with a note and a photo; a
 * supervisor sees the note and photo on the tasks page and verifies it; the alert is resolved.
 */
class ConsoleTaskLoopTest extends SystemTest {

    /** A home in grid 2, whose workers are w4, w5 and w6. */
    private static final String GATEWAY = "gw-b3-201";
    private static final String MATTRESS = "mat-b3-201";
    private static final String WORKER = "w4";
    private static final List<String> OTHER_WORKERS = List.of("w5", "w6");

    @Test
    void aWorkerOnAPhoneTakesTheTaskThroughAndASupervisorVerifiesItOnTheTasksPage() throws Exception {
        // Only w4 on duty in grid 2, whatever the hour, so that the task is theirs.
        setDuty(WORKER, "true");
        OTHER_WORKERS.forEach(worker -> setDuty(worker, "false"));
        try (Browser phone = Browser.open(390, 844); Browser supervisor = Browser.open(1440, 900)) {
            phone.signIn(console(), WORKER);
            phone.waitFor(Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().endsWith("/worker")
                    && "open".equals(d.findElement(By.id("live")).getAttribute("data-state")));
            phone.script("window.notReloaded = true;");

            try (TestGateway gateway = system.gateway(GATEWAY)) {
                gateway.publishSustainedHeartRate(MATTRESS, 140);
            }
            AtomicReference<JsonObject> task = new AtomicReference<>();
            await("a task of " + MATTRESS + "'s alert for " + WORKER).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        for (var element : system.get("grid-dispatch", "/api/v1/tasks?state=ASSIGNED&limit=1000")
                                .getAsJsonArray()) {
                            JsonObject candidate = element.getAsJsonObject();
                            if (MATTRESS.equals(text(candidate, "subjectId")) && WORKER.equals(text(candidate, "workerId"))) {
                                task.set(candidate);
                                return true;
                            }
                        }
                        return false;
                    });
            String taskId = task.get().get("taskId").getAsString();
            String alertId = task.get().get("alertId").getAsString();

            // Pushed: the card appears on the open page, which was not reloaded.
            phone.waitFor(Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("task-" + taskId)).isEmpty());
            assertThat(phone.script("return window.notReloaded === true")).isEqualTo(true);
            List<?> card = (List<?>) phone.script("const card = document.getElementById('task-" + taskId + "');"
                    + "return [card.innerText, card.querySelector('.countdown').innerText];");
            assertThat(card.get(0).toString()).contains("140 bpm", "b3-201");
            assertThat(card.get(1).toString()).matches("\\d+:\\d\\d");
            phone.screenshot("worker-phone-390-task");

            step(phone, taskId, "button.step[data-action='accept']", "ACCEPTED");
            step(phone, taskId, "button.step[data-action='arrive']", "ON_SITE");

            Path photo = Files.createTempFile("gridwatch-fix-", ".png");
            BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            Graphics2D paint = image.createGraphics();
            paint.setColor(Color.ORANGE);
            paint.fillRect(8, 8, 48, 32);
            paint.dispose();
            ImageIO.write(image, "png", photo.toFile());
            // By id: what the worker types is kept when the list is fetched again (hx-preserve).
            phone.driver().findElement(By.id("resolve-note-" + taskId)).sendKeys("resident had been exercising; pulse 80 now");
            phone.driver().findElement(By.id("photo-" + taskId)).sendKeys(photo.toString());
            phone.screenshot("worker-phone-390-resolve");
            phone.click("#task-" + taskId + " form.resolve button.primary");
            await("the task resolved in the API").atMost(Duration.ofSeconds(15)).until(() ->
                    "RESOLVED".equals(text(system.get("grid-dispatch", "/api/v1/tasks/" + taskId).getAsJsonObject(), "state")));
            JsonObject resolved = system.get("grid-dispatch", "/api/v1/tasks/" + taskId).getAsJsonObject();
            assertThat(text(resolved, "resolvedBy")).isEqualTo(WORKER);
            assertThat(text(resolved, "photoType")).isEqualTo("image/png");
            phone.waitFor(Duration.ofSeconds(10)).until(d -> "RESOLVED".equals(phone.script(
                    "const card = document.getElementById('task-" + taskId + "'); return card ? card.dataset.state : null")));
            assertThat(phone.all("#queue:not([hidden])")).as("nothing left queued").isEmpty();

            // The supervisor checks the fix on the tasks page: the worker's note and photo, then verifies.
            supervisor.signIn(console(), "sup-lf-c1");
            supervisor.driver().get(console() + "/tasks");
            supervisor.waitFor(Duration.ofSeconds(20)).until(d -> !d.findElements(By.id("task-" + taskId)).isEmpty());
            List<?> row = (List<?>) supervisor.script("const row = document.getElementById('task-" + taskId + "');"
                    + "return [row.dataset.state, row.innerText];");
            assertThat(row.get(0)).isEqualTo("RESOLVED");
            assertThat(row.get(1).toString()).contains("pulse 80 now");
            supervisor.waitFor(Duration.ofSeconds(10)).until(d -> ((Number) supervisor.script(
                    "return document.querySelector('#task-" + taskId + " img.photo').naturalWidth")).intValue() == 64);
            supervisor.screenshot("tasks-verify-1440");
            supervisor.driver().findElement(By.id("verify-note-" + taskId)).sendKeys("called the resident: fine");
            supervisor.click("#task-" + taskId + " button.verify");
            await("the alert resolved by its verified task").atMost(Duration.ofSeconds(30)).until(() ->
                    "RESOLVED".equals(text(system.get("alert-routing", "/api/v1/alerts/" + alertId).getAsJsonObject(), "state")));
            assertThat(text(system.get("alert-routing", "/api/v1/alerts/" + alertId).getAsJsonObject(), "resolvedBy"))
                    .isEqualTo("sup-lf-c1");
            supervisor.waitFor(Duration.ofSeconds(10)).until(d -> d.findElements(By.id("task-" + taskId)).isEmpty());

            // The cockpit of the community: grid 2's row counts the alert, and its stages are on the chart.
            supervisor.driver().get(console() + "/cockpit?areaId=lf-c1&days=1");
            supervisor.waitFor(Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector("#figures tr[data-area='lf-c1-g2']")).isEmpty());
            int alertsOpened = Integer.parseInt(supervisor.driver().findElement(
                    By.cssSelector("#figures tr[data-area='lf-c1-g2'] td:nth-child(2)")).getText());
            assertThat(alertsOpened).as("alerts opened in grid 2 today").isGreaterThanOrEqualTo(1);
            @SuppressWarnings("unchecked")
            List<String> charted = (List<String>) supervisor.script("return echarts.getInstanceByDom("
                    + "document.getElementById('chart-stages')).getOption().series.map(s => s.name)");
            assertThat(charted).as("areas compared on the stages chart").isNotEmpty();
            supervisor.screenshot("cockpit-1440");
        } finally {
            for (String worker : List.of(WORKER, "w5", "w6")) {
                setDuty(worker, "null");
            }
        }
    }

    /** Takes a step on the phone and waits for the service and the page to show its state. */
    private static void step(Browser phone, String taskId, String button, String state) {
        phone.click("#task-" + taskId + " " + button);
        await(state + " in the API").atMost(Duration.ofSeconds(15)).until(() ->
                state.equals(text(system.get("grid-dispatch", "/api/v1/tasks/" + taskId).getAsJsonObject(), "state")));
        phone.waitFor(Duration.ofSeconds(10)).until(d -> state.equals(phone.script(
                "const card = document.getElementById('task-" + taskId + "'); return card ? card.dataset.state : null")));
    }

    private static void setDuty(String worker, String onDuty) {
        var answer = system.putAs(Tokens.person(worker), "grid-dispatch", "/api/v1/me/status", "{\"onDuty\":" + onDuty + "}");
        assertThat(answer.statusCode()).as(worker + " duty: " + answer.body()).isEqualTo(200);
    }

    private static String text(JsonObject object, String field) {
        return object.has(field) && !object.get(field).isJsonNull() ? object.get(field).getAsString() : null;
    }

    private static String console() {
        return system.service(GridWatchSystem.CONSOLE).baseUrl();
    }
}
