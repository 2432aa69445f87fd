package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.node.it.BackgroundWriter.Acked;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * The admin console in a real browser (Debian's headless Chromium, driven through its chromedriver
 * by Selenium, nothing downloaded) against a real cluster of three JVMs on 127.0.0.1 to .3, with a
 * fourth started but not yet added: a visitor sees only the sign-in form, wrong credentials are
 * refused in plain words; once signed in on node1 the page shows the ring and the members; it adds
 * node4 by address, node4's own console (in a second tab) shows the partitions it copies under way
 * and then complete, node1's follows the ring change until it completes; it removes node4 after a
 * confirmation that says how much data moves, and looks up a key written before, showing its three
 * replicas. A narrow window keeps the main controls usable, and credentials the node stops taking
 * bring back the sign-in form. Each step leaves a screenshot in {@code target/console-screenshots/}
 * (dynamo-admin-ui/docs/console.png is a copy of {@code 05-node4-copying.png}).
 */
class ConsoleIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String SECRET = "console-it-secret";
    private static final String BUCKET = "console";
    private static final int PARTITIONS = 64;
    /** The bound on each wait on the page: for a change to complete, for a panel to show. */
    private static final Duration PHASE = Duration.ofSeconds(60);
    /** Data for node4 to copy: about 3/4 of it (its share as one of N=3 replicas of 4 nodes) takes some seconds. */
    private static final int FILLER_KEYS = 300;
    private static final int FILLER_VALUE_BYTES = 1024;
    private static final String TRANSFER_BYTES_PER_SECOND = "24KB";
    /** Selenium warns that it has no DevTools bindings for this Chromium: the test uses none. */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

    /** A script naming (up to 8 of) the elements past the window's right edge: what makes a page scroll sideways. */
    private static final String PAST_THE_EDGE = """
            return [...document.querySelectorAll('body *')]
              .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(0, 8).map(e => `${e.tagName}#${e.id}.${e.className}: ${Math.round(e.getBoundingClientRect().right)}`);
            """;

    @TempDir
    Path data;

    private final LoopbackCluster cluster = LoopbackCluster.of(4);
    private final List<NodeProcess> running = new ArrayList<>();
    private final List<KvClient> clients = new ArrayList<>();
    private ChromeDriverService driverService;
    private WebDriver browser;

    @AfterEach
    void stopAll() {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        clients.forEach(KvClient::close);
        running.forEach(NodeProcess::close);
    }

    @Test
    void anOperatorSignsInWatchesTheRingAddsAndRemovesANodeAndLooksUpAKey() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("ConsoleIT needs Debian's chromium and chromium-driver (%s, %s): apt-get install -y chromium"
                        + " chromium-driver (.ci/run installs them when missing)", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        String seeds = cluster.seeds(3);
        for (int i = 0; i < 4; i++) {
            running.add(NodeProcess.launch("ConsoleIT-node" + (i + 1), cluster.host(i), cluster.httpPort(i),
                    data.resolve("node" + i), cluster.nodeArgs(i, SECRET, seeds, "--dynamo.cluster.partitions=" + PARTITIONS,
                            "--dynamo.gossip.interval=200ms",
                            // slow enough for node4's console to show its copies under way, in small steps
                            "--dynamo.transfer.max-bytes-per-second=" + TRANSFER_BYTES_PER_SECOND,
                            "--dynamo.transfer.batch-keys=16")));
        }
        for (int i = 0; i < 3; i++) {
            running.get(i).awaitHealthy();
            clients.add(new KvClient(running.get(i).baseUrl()));
        }
        HttpResponse<byte[]> put = clients.get(0).put(BUCKET, "greeting", "hello, operator".getBytes(StandardCharsets.UTF_8));
        assertThat(put.statusCode()).as("PUT the key to look up: %s", KvClient.text(put)).isEqualTo(204);
        byte[] filler = new byte[FILLER_VALUE_BYTES];
        for (int i = 0; i < FILLER_KEYS; i++) {
            HttpResponse<byte[]> written = clients.get(i % 3).put(BUCKET, "filler-" + i, filler);
            assertThat(written.statusCode()).as("PUT filler-%d: %s", i, KvClient.text(written)).isEqualTo(204);
        }
        startBrowser();

        // Traffic for the charts, through node1 whose console is open.
        try (BackgroundWriter writer = new BackgroundWriter(BUCKET, "traffic-", new ConcurrentHashMap<String, Acked>(),
                new ConcurrentHashMap<>(), List.of(clients.getFirst()), 7)) {
            writer.start();
            signIn();
            seeTheClusterOfThree();
            addNode4();
            removeNode4();
        }
        lookUpTheKey();
        watchATruncation();
        narrowWindow();
        refusedCredentialsLeadBackToSignIn();
    }

    private void signIn() throws IOException {
        browser.get(running.getFirst().baseUrl().resolve("/admin/").toString());
        await("the sign-in form", d -> d.findElement(By.id("signin-form")).isDisplayed());
        assertThat(browser.findElement(By.id("console")).isDisplayed()).as("cluster data before signing in").isFalse();
        assertThat(browser.findElements(By.cssSelector("#members-body tr"))).as("members before signing in").isEmpty();

        submitSignIn("not-the-password");
        await("the refusal of a wrong password", d -> d.findElement(By.id("signin-error")).getText()
                .contains("wrong user name or password"));
        assertThat(browser.findElement(By.id("console")).isDisplayed()).isFalse();
        screenshot("01-sign-in-refused");

        submitSignIn(NodeProcess.OPERATOR_PASSWORD);
        await("the console after signing in", d -> d.findElement(By.id("console")).isDisplayed());
    }

    private void submitSignIn(String password) {
        browser.findElement(By.id("user")).clear();
        browser.findElement(By.id("user")).sendKeys(NodeProcess.OPERATOR);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("signin-button")).click();
    }

    private void seeTheClusterOfThree() throws IOException {
        await("three members, all up", d -> statuses(d).equals(Map.of("node1", "UP", "node2", "UP", "node3", "UP")));
        await("the ring of " + PARTITIONS + " partitions of three owners",
                d -> d.findElements(By.cssSelector("#ring path")).size() == PARTITIONS
                        && d.findElements(By.cssSelector("#ring-legend li")).size() == 3);
        String title = browser.findElement(By.cssSelector("#ring path[data-partition='0'] title")).getAttribute("textContent");
        assertThat(title).as("a partition's hover text").matches("Partition 0: owner node\\d; preference list node\\d, node\\d, node\\d.*");
        await("the four charts", d -> d.findElements(By.cssSelector("#charts canvas")).size() == 4);
        screenshot("02-cluster-of-three");
    }

    private void addNode4() throws IOException {
        browser.findElement(By.id("add-address")).sendKeys("not-an-address");
        browser.findElement(By.id("add-button")).click();
        await("the API's refusal in plain words", d -> d.findElement(By.id("action-message")).getText()
                .contains("Could not add not-an-address: address must be host:port"));
        screenshot("03-add-refused");

        long before = ringVersion();
        browser.findElement(By.id("add-address")).clear();
        browser.findElement(By.id("add-address")).sendKeys(cluster.internode(3));
        browser.findElement(By.id("add-button")).click();
        await("node4 joining", d -> d.findElement(By.id("action-message")).getText().contains(": node4 ("));
        await("node4 in the members", d -> statuses(d).containsKey("node4"));
        screenshot("04-node4-joining");
        watchNode4Copy();
        await("the change that adds node4 completes, and node4 is up", d -> changeCompletedAfter(d, before)
                && "UP".equals(statuses(d).get("node4"))
                && d.findElements(By.cssSelector("#ring-legend li")).size() == 4);
        // read in one poll: the page redraws the bar every poll, so an element found earlier may be gone
        await("the change's progress bar full", d -> {
            WebElement progress = d.findElement(By.id("change-progress"));
            return progress.getAttribute("value").equals(progress.getAttribute("max"));
        });
        screenshot("07-node4-added");
    }

    /** Node4's own console, in a second tab: the partitions it copies, under way and then complete. */
    private void watchNode4Copy() throws IOException {
        String node1Tab = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(running.get(3).baseUrl().resolve("/admin/").toString());
        submitSignIn(NodeProcess.OPERATOR_PASSWORD);
        await("node4 copying partitions, some of them done, at a rate with an ETA", d -> !d.findElements(By.cssSelector(
                "#transfers-table progress")).isEmpty()
                && Integer.parseInt(d.findElement(By.id("transfers-overall")).getAttribute("value")) > 0
                && d.findElement(By.id("transfers-summary")).getText().matches(".*/s, ETA \\d.*"));
        screenshot("05-node4-copying");
        await("node4 done copying", d -> d.findElements(By.cssSelector("#transfers-table")).isEmpty()
                && d.findElement(By.id("transfers-done")).getText().matches("\\d+ partitions copied to this node.*")
                && "complete".equals(d.findElement(By.id("change")).getAttribute("data-state")));
        screenshot("06-node4-copied");
        browser.close();
        browser.switchTo().window(node1Tab);
    }

    private void removeNode4() throws IOException {
        await("the remove button of node4", d -> {
            d.findElement(By.cssSelector("button[aria-label='Remove node4']")).click();
            return true;
        });
        await("the confirmation", d -> d.findElement(By.id("remove-dialog")).isDisplayed());
        String summary = browser.findElement(By.id("remove-summary")).getText();
        assertThat(summary).as("the confirmation says what moves")
                .matches("(?s)Removing node4 \\(127\\.0\\.0\\.4:\\d+\\) moves its \\d+ partitions to the other nodes: \\d+ partitions"
                        + " change owner and \\d+ partition replicas are copied, about [\\d.]+ [KMG]?i?B of data.*");
        screenshot("08-remove-confirmation");
        long before = ringVersion();
        browser.findElement(By.id("remove-confirm")).click();
        await("node4 leaving", d -> d.findElement(By.id("action-message")).getText().contains(": node4 is leaving"));
        await("the change that removes node4 completes", d -> changeCompletedAfter(d, before)
                && !"UP".equals(statuses(d).get("node4"))
                && d.findElements(By.cssSelector("#ring-legend li")).size() == 3);
        screenshot("09-node4-removed");
    }

    private void lookUpTheKey() throws IOException {
        browser.findElement(By.id("lookup-bucket")).sendKeys(BUCKET);
        browser.findElement(By.id("lookup-key")).sendKeys("greeting");
        browser.findElement(By.id("lookup-button")).click();
        await("the key's three replicas", d -> d.findElements(By.cssSelector("#lookup-result .replica")).size() == 3);
        for (WebElement replica : browser.findElements(By.cssSelector("#lookup-result .replica"))) {
            assertThat(replica.getText()).as("replica %s", replica.getAttribute("data-node"))
                    .contains("hello, operator").contains("version vector");
        }
        assertThat(browser.findElement(By.id("lookup-result")).getText()).contains("preference list node");
        ((JavascriptExecutor) browser).executeScript(
                "document.getElementById('lookup-title').scrollIntoView()");
        screenshot("10-key-lookup");
    }

    private void watchATruncation() throws IOException, InterruptedException {
        for (int i = 0; i < 30; i++) {
            clients.getFirst().put("scratch", "s-" + i, new byte[] {1});
        }
        assertThat(clients.getFirst().truncate("scratch").statusCode()).isEqualTo(202);
        await("the truncation of scratch done, its 30 keys deleted", d -> {
            String panel = d.findElement(By.id("truncations")).getText();
            return panel.contains("scratch") && panel.contains("done") && panel.contains("30");
        });
        ((JavascriptExecutor) browser).executeScript("document.getElementById('truncations-title').scrollIntoView()");
        screenshot("11-truncation");
    }

    private void narrowWindow() throws IOException {
        browser.manage().window().setSize(new Dimension(400, 900));
        await("the narrow layout", d -> ((Number) ((JavascriptExecutor) d)
                .executeScript("return window.innerWidth")).intValue() <= 400);
        screenshot("12-narrow");
        JavascriptExecutor page = (JavascriptExecutor) browser;
        Number overflow = (Number) page.executeScript("return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(overflow.intValue()).as("how far the page scrolls sideways; elements past the edge (some within"
                + " scrolling boxes): %s", page.executeScript(PAST_THE_EDGE)).isLessThanOrEqualTo(0);
        for (By control : List.of(By.id("signout"), By.id("add-address"), By.id("add-button"),
                By.cssSelector("button[aria-label='Remove node2']"), By.id("lookup-bucket"), By.id("lookup-key"),
                By.id("lookup-button"))) {
            WebElement element = browser.findElement(control);
            ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", element);
            assertThat(element.isDisplayed()).as("%s shown", control).isTrue();
            assertThat(element.getRect().getX() + element.getRect().getWidth()).as("%s right edge", control)
                    .isLessThanOrEqualTo(400);
        }
    }

    /** Credentials that stop working (a password changed on the node) bring back the sign-in form at the next poll. */
    private void refusedCredentialsLeadBackToSignIn() {
        ((JavascriptExecutor) browser).executeScript(
                "sessionStorage.setItem('dynamo.credentials', btoa(arguments[0] + ':no-longer-the-password'))",
                NodeProcess.OPERATOR);
        await("the sign-in form again", d -> d.findElement(By.id("signin-form")).isDisplayed()
                && !d.findElement(By.id("console")).isDisplayed()
                && d.findElement(By.id("signin-error")).getText().contains("wrong user name or password"));
    }

    /** The ring version the change panel shows: the current one, or the one the change under way moves to. */
    private long ringVersion() {
        return Long.parseLong(browser.findElement(By.id("change")).getAttribute("data-version"));
    }

    /** Whether the change panel shows a completed change to a ring newer than {@code version}. */
    private static boolean changeCompletedAfter(WebDriver d, long version) {
        WebElement change = d.findElement(By.id("change"));
        return "complete".equals(change.getAttribute("data-state"))
                && Long.parseLong(change.getAttribute("data-version")) > version;
    }

    /** The members table, by node id: each member's status. */
    private static Map<String, String> statuses(WebDriver d) {
        Map<String, String> statuses = new TreeMap<>();
        for (WebElement row : d.findElements(By.cssSelector("#members-body tr"))) {
            statuses.put(row.getAttribute("data-id"), row.getAttribute("data-status"));
        }
        return statuses;
    }

    private void startBrowser() {
        SELENIUM_LOG.setLevel(Level.SEVERE);
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600");
        browser = new ChromeDriver(driverService, options);
    }

    /**
     * Polls the page until {@code condition} holds, for at most {@link #PHASE}: the page redraws its
     * panels from its own polls, so an element may be replaced between finding and reading it.
     */
    private void await(String what, Function<WebDriver, Boolean> condition) {
        new FluentWait<>(browser).withTimeout(PHASE).pollingEvery(Duration.ofMillis(200))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(NoSuchElementException.class)
                .ignoring(ElementNotInteractableException.class)
                .withMessage(() -> what + "; the page shows: " + browser.findElement(By.tagName("body")).getText())
                .until(condition);
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }
}
