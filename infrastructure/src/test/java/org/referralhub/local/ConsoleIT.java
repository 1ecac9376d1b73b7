package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
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

    /** Every field of the page has a label naming it (the console's accessibility floor). */
    private static void assertLabelled() {
        Object unlabelled = ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('input, select, textarea')]"
                        + ".filter(c => c.offsetParent !== null && !(c.id && document.querySelector('label[for=\"' + c.id + '\"]')))"
                        + ".map(c => c.outerHTML).join(' ')");
        assertThat((String) unlabelled).as("fields without a label").isEmpty();
    }

    /** An e-mail from an address no agency allows: the hub quarantines it. */
    private static void mailFromAStranger() throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(hub.smtpPort()));
        var message = new MimeMessage(Session.getInstance(p));
        message.setFrom(new InternetAddress("someone@unknown.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(LocalHub.HUB_ADDRESS));
        message.setSubject("Referral " + UUID.randomUUID(), "UTF-8");
        message.setText("First name: X\nLast name: Y\nEmail: x@y.ca\nConsent: yes\n", "UTF-8");
        Transport.send(message);
    }

    private static void signIn(String token) {
        browser.get(hub.baseUrl() + "/console");
        // a fresh tab: no token kept from before
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
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
        assertLabelled();
        screenshot("01-sign-in-refused");
        mailFromAStranger();

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
        assertThat(browser.findElement(By.cssSelector("#today-count .figure")).getText()).isEqualTo("2");
        assertThat(browser.findElement(By.cssSelector("#today-count .muted")).getText()).isEqualTo("webhook 2");
        assertThat(browser.findElement(By.cssSelector("#stale-count .figure")).getText()).isEqualTo("0");
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
        // the raw payload, as it came in
        browser.findElement(By.id("raw-download")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("raw-outcome"), delivered));

        // a search: this agency's referrals waiting for their partner's answer
        browser.findElement(By.linkText("Referrals")).click();
        new Select(shown(By.id("search-agency"))).selectByValue("cics");
        new Select(browser.findElement(By.id("search-status"))).selectByValue("requested");
        browser.findElement(By.cssSelector("#search-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("search-count"), "Found: "));
        assertThat(browser.findElement(By.id("search-results")).getText()).contains(delivered).doesNotContain(dead);
        assertLabelled();
        screenshot("05b-referral-search");

        // the dead letter, replayed: the partner is back, so it is delivered
        browser.findElement(By.linkText("Dead letters")).click();
        WebElement replay = shown(By.cssSelector("button[data-id='" + dead + "']"));
        screenshot("06-dead-letters");
        // the stranger's message is quarantined, listed with why, and can be replayed once
        shown(By.cssSelector("button[data-receipt]"));
        assertThat(browser.findElement(By.cssSelector("section[aria-labelledby=quarantine-title] table")).getText())
                .contains("email");
        replay.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("replay-note"), dead));
        String receipt = browser.findElement(By.cssSelector("button[data-receipt]")).getAttribute("data-receipt");
        browser.findElement(By.cssSelector("button[data-receipt='" + receipt + "']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("quarantine-note"), "Replayed: " + receipt));
        agencies.awaitReferral(dead, cics, r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));

        browser.findElement(By.linkText("Audit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Configuration history"));
        assertThat(browser.findElements(By.cssSelector("tbody tr"))).isNotEmpty();
        screenshot("07-audit");

        // French labels, kept on the next page too
        new Select(browser.findElement(By.id("language"))).selectByValue("fr");
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

    private static void fill(String id, String value) {
        WebElement input = shown(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    @Test
    void anAdministratorOnboardsAnAgencyAndAPartnerRoutesBetweenThemAndTriesASample() throws Exception {
        signIn(LocalHub.demoAdminToken());
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Dashboard"));

        // an agency, and its first API key, shown once
        browser.findElement(By.linkText("Agencies")).click();
        fill("agency-id", "riverdale-settlement");
        fill("agency-name", "Riverdale Settlement Services");
        browser.findElement(By.cssSelector("#create-agencies button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-outcome"), "riverdale-settlement"));
        browser.findElement(By.linkText("riverdale-settlement")).click();
        shown(By.id("rotate-keys")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("secret-outcome"), "rhk_riverdale-settlement_"));
        screenshot("10-agency-key-shown-once");

        // the same validation messages as the API: a partner whose webhook is not a URL is refused with the reason
        browser.findElement(By.linkText("Partners")).click();
        fill("partner-id", "lakeshore-mentors");
        fill("partner-name", "Lakeshore Mentors");
        browser.findElement(By.cssSelector("#create-partners button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-outcome"), "Refused"));
        screenshot("11-partner-refused");
        fill("partner-url", hub.baseUrl() + "/sandbox/partners/lakeshore-mentors/webhook");
        browser.findElement(By.cssSelector("#create-partners button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-outcome"), "whsec_"));
        assertLabelled();
        screenshot("12-partner-created");

        // the capacity switch
        browser.findElement(By.linkText("lakeshore-mentors")).click();
        new Select(shown(By.id("capacity"))).selectByValue("full");
        browser.findElement(By.cssSelector("#capacity-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("capacity-outcome"), "Saved."));
        AdminClient admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
        assertThat(admin.get("/partners/lakeshore-mentors").body().at("/capacity/status").asText()).isEqualTo("full");
        new Select(browser.findElement(By.id("capacity"))).selectByValue("accepting");
        browser.findElement(By.cssSelector("#capacity-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("capacity-outcome"), "Saved."));

        // a rule for the new agency, first in the list; reordered down and back up
        browser.findElement(By.linkText("Routing")).click();
        fill("rule-id", "riverdale-to-lakeshore");
        fill("rule-agencies", "riverdale-settlement");
        new Select(shown(By.id("rule-partner"))).selectByValue("lakeshore-mentors");
        browser.findElement(By.cssSelector("#rule-form button[type=submit]")).click();
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#rules li:first-child"), "data-rule", "riverdale-to-lakeshore"));
        browser.findElement(By.cssSelector("#rules li:first-child button[aria-label^='Move down']")).click();
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#rules li:nth-child(2)"), "data-rule", "riverdale-to-lakeshore"));
        browser.findElement(By.cssSelector("#rules li:nth-child(2) button[aria-label^='Move up']")).click();
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#rules li:first-child"), "data-rule", "riverdale-to-lakeshore"));
        assertThat(admin.get("/routing").body().at("/rules/0/id").asText()).isEqualTo("riverdale-to-lakeshore");

        // what would happen: the sample is routed to the new partner by the new rule; nothing stored
        new Select(browser.findElement(By.id("sandbox-agency"))).selectByValue("riverdale-settlement");
        WebElement sample = browser.findElement(By.id("sandbox-sample"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", sample,
                new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8));
        browser.findElement(By.cssSelector("#sandbox-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sandbox-counts"), "accepted: 1"));
        assertThat(browser.findElement(By.id("sandbox-results")).getText())
                .contains("lakeshore-mentors").contains("riverdale-to-lakeshore");
        ((JavascriptExecutor) browser).executeScript(
                "document.getElementById('sandbox-results').scrollIntoView()");
        assertLabelled();
        screenshot("13-routing-and-sandbox");

        // the history shows each change with its diff, and an earlier version can be brought back
        browser.findElement(By.linkText("Audit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Configuration history"));
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("add /routing/rules");
        long before = admin.get("/config/versions?limit=1").body().at("/versions/0/version").asLong();
        WebElement restore = browser.findElements(By.cssSelector("button[data-version]")).get(0);
        String restoring = restore.getAttribute("data-version");
        restore.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("restore-outcome"), "Restored as version " + (before + 1)));
        assertThat(admin.get("/config/versions?limit=1").body().at("/versions/0/restoredFrom").asText()).isEqualTo(restoring);
        screenshot("14-audit-restored");
    }
}
