package org.gridwatch.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.gridwatch.testsupport.RepoRoot;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for the console's tests: Debian's Chromium, headless, driven by its ChromeDriver
 * ({@code apt-get install chromium chromium-driver}; CI installs them). Each test's screenshots go
 * to {@code services/system-tests/target/screenshots}.
 */
final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A browser window of the given size in CSS pixels (a wall screen, a laptop, a phone). */
    static Browser open(int width, int height) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's Chromium and its driver: "
                    + "apt-get install chromium chromium-driver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags Chromium keeps calling Google's hosts, which this closed
        // network refuses; the pages themselves need nothing from outside.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--lang=en-US",
                "--user-data-dir=" + Files.createTempDirectory("gridwatch-chromium-"),
                "--window-size=" + width + "," + height);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        return new Browser(driver);
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens the console and signs in on the provider's page as one of the demo people. */
    void signIn(String consoleUrl, String user) {
        driver.get(consoleUrl);
        waitFor(Duration.ofSeconds(20)).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("button[name='username'][value='" + user + "']"))).click();
        awaitConsole(consoleUrl);
    }

    /** Signs in as a person the test makes up ({@code test-...}), with the roles and area it gives. */
    void signInAs(String consoleUrl, String user, List<String> roles, String area) {
        driver.get(consoleUrl);
        waitFor(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        driver.findElement(By.tagName("summary")).click();
        driver.findElement(By.id("username")).sendKeys(user);
        String claims = "{\"roles\":[" + String.join(",", roles.stream().map(r -> "\"" + r + "\"").toList())
                + "],\"area\":\"" + area + "\"}";
        driver.findElement(By.id("claims")).sendKeys(claims);
        driver.findElement(By.id("sign-in")).click();
        awaitConsole(consoleUrl);
    }

    private void awaitConsole(String consoleUrl) {
        waitFor(Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().startsWith(consoleUrl)
                && !d.findElements(By.id("who")).isEmpty());
    }

    WebDriverWait waitFor(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /**
     * Clicks what {@code css} finds, finding it again if the live page replaced it in between (a
     * fragment fetched again on a feed event swaps in new elements).
     */
    void click(String css) {
        waitFor(Duration.ofSeconds(10)).until(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * From now on, notes in the page when each alert's row first appears ({@code data-alert-id};
     * the browser's clock is the machine's), for {@link #seenAt}.
     */
    void watchAlertRows() {
        script("""
                window.seenAt = window.seenAt || {};
                const note = () => document.querySelectorAll('[data-alert-id]').forEach(row => {
                  if (!(row.dataset.alertId in window.seenAt)) window.seenAt[row.dataset.alertId] = Date.now();
                });
                note();
                new MutationObserver(note).observe(document.body, {subtree: true, childList: true});
                """);
    }

    /** When the alert's row first appeared (epoch ms), null while it has not. */
    Long seenAt(String alertId) {
        Object seen = script("return window.seenAt ? window.seenAt[arguments[0]] || null : null", alertId);
        return seen == null ? null : ((Number) seen).longValue();
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** Saves what the browser shows as {@code target/screenshots/NAME.png}. */
    Path screenshot(String name) throws IOException {
        Path folder = RepoRoot.get().resolve("services/system-tests/target/screenshots");
        Files.createDirectories(folder);
        Path file = folder.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
