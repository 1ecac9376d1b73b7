package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
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
 * The console in a real browser — Debian's headless Chromium through its chromedriver — against a running local hub:
 * sign in, read the dashboard, the agencies and partners, a referral sent by webhook with its delivery in the
 * timeline, a dead letter replayed, the configuration history, French labels. Screenshots of each page land in
 * {@code target/console-screenshots/}. Without Chromium the test is skipped, unless {@code CONSOLE_BROWSER_REQUIRED=true}
 * (as {@code .ci/run} sets it, having installed Chromium): then it fails.
 */
class ConsoleIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("true".equals(System.getenv("CONSOLE_BROWSER_REQUIRED"))) {
            assertThat(present).as("chromium and chromium-driver installed (apt-get install chromium chromium-driver)").isTrue();
        }
        Assumptions.assumeTrue(present, "no Chromium here: apt-get install chromium chromium-driver");
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300)
                .withConfigLocation(HubClient.fastRetryConfiguration(data)));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900",
                        "--lang=en-CA");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private static void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static WebElement shown(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void signIn(String token) {
        browser.get(hub.baseUrl() + "/console");
        WebElement field = shown(By.id("token"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    }

    @Test
    void anAdministratorRunsTheHubFromTheBrowser() throws Exception {
        // a wrong token opens nothing
        signIn("not-a-token");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "refused"));
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).isEqualTo("This token was refused.");
        assertThat(browser.findElement(By.id("view")).isDisplayed()).isFalse();
        screenshot("01-sign-in-refused");

        // a referral by webhook, and one whose partner stays down past every retry
        HubClient agencies = new HubClient(hub.baseUrl());
        String cics = LocalHub.demoKeys().get("cics");
        String sample = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8);
        String delivered = agencies.postJson(cics, sample.replace("CICS-2026-0001", "CON-" + UUID.randomUUID()))
                .body().get("referralId").asText();
        agencies.postSandbox("/sandbox/partners/humber/failures", "{\"count\":4,\"status\":503}");
        String dead = agencies.postJson(cics, sample.replace("CICS-2026-0001", "CON-" + UUID.randomUUID())
                .replace("m2n6k1", "M9W 1A1")).body().get("referralId").asText();
        agencies.awaitReferral(delivered, cics, r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));
        agencies.awaitReferral(dead, cics, r -> "failed".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(40));

        signIn(LocalHub.demoAdminToken());
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Dashboard"));
        assertThat(shown(By.cssSelector("#received-count .figure")).getText()).isEqualTo("2");
        assertThat(shown(By.cssSelector("#dead-letter-count .figure")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("stage-delivered")).getText()).isEqualTo("Delivered");
        screenshot("02-dashboard");

        browser.findElement(By.linkText("Agencies")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Agencies"));
        browser.findElement(By.linkText("cics")).click();
        assertThat(shown(By.cssSelector("dl.details")).getText()).contains("Centre for Immigrant");
        assertThat(browser.getPageSource()).doesNotContain("whsec_");
        screenshot("03-agency");

        browser.findElement(By.linkText("Partners")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Partners"));
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("humber").contains("webhook");
        screenshot("04-partners");

        // the referral's timeline shows its delivery
        browser.findElement(By.linkText("Referrals")).click();
        shown(By.id("referral-id")).sendKeys(delivered);
        browser.findElement(By.cssSelector("#referral-form button")).click();
        assertThat(shown(By.id("delivery-state")).getText()).isEqualTo("delivered");
        assertThat(shown(By.id("timeline")).getText()).contains("Received from cics").contains("Delivery attempt 1: delivered")
                .doesNotContain("Invalid Date");
        assertThat(browser.findElements(By.cssSelector("#timeline time"))).allSatisfy(time ->
                assertThat(time.getAttribute("datetime")).matches("\\d{4}-\\d{2}-\\d{2}T.*"));
        screenshot("05-referral-timeline");

        // the dead letter, replayed: the partner is back, so it is delivered
        browser.findElement(By.linkText("Dead letters")).click();
        WebElement replay = shown(By.cssSelector("button[data-id='" + dead + "']"));
        screenshot("06-dead-letters");
        replay.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("replay-note"), dead));
        agencies.awaitReferral(dead, cics, r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));

        browser.findElement(By.linkText("Audit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Configuration history"));
        assertThat(browser.findElements(By.cssSelector("tbody tr"))).isNotEmpty();
        screenshot("07-audit");

        // French labels, kept on the next page too
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("language"))).selectByValue("fr");
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Historique de la configuration"));
        browser.findElement(By.linkText("Tableau de bord")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Tableau de bord"));
        assertThat(browser.findElement(By.id("stage-delivered")).getText()).isEqualTo("Transmises");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("fr");
        screenshot("08-dashboard-fr");

        // signed out, the token is gone from the tab
        browser.findElement(By.id("sign-out")).click();
        shown(By.id("token"));
        browser.navigate().refresh();
        assertThat(shown(By.id("sign-in")).isDisplayed()).isTrue();
    }
}
