package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.persistence.testing.PostgresDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser (Debian's headless Chromium, driven by Selenium through the
 * system's chromedriver) while jobs run on a three-node cluster with the PostgreSQL ledger:
 * members, shards and a job's progress appear and advance, a finished job shows its report, and a
 * deliberately slow stage is named the bottleneck with its queue growing, and a running job is
 * canceled with its Cancel button (confirmed in the browser's dialog). The nodes' reads need their
 * token ({@code troupe.http.authenticate-reads = on}, as off loopback): the page asks for it once
 * per tab, asks again when it is refused, and runs under its Content-Security-Policy (no inline
 * script or style). Screenshots go to {@code target/}. Skipped without Chromium or PostgreSQL,
 * unless {@code TROUPE_REQUIRE_CHROMIUM=1} or {@code TROUPE_REQUIRE_POSTGRES=1} make that a
 * failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class DashboardIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target");

  private PostgresDatabase db;
  private LocalCluster cluster;
  private WebDriver browser;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    String missing =
        !Files.isExecutable(CHROMIUM)
            ? "chromium is not installed (" + CHROMIUM + ")"
            : !Files.isExecutable(CHROMEDRIVER)
                ? "chromedriver is not installed (" + CHROMEDRIVER + ")"
                : null;
    if (missing != null && "1".equals(System.getenv("TROUPE_REQUIRE_CHROMIUM"))) {
      Assertions.fail(missing + " (TROUPE_REQUIRE_CHROMIUM=1, so this is a failure, not a skip)");
    }
    assumeTrue(missing == null, missing + "; apt-get install chromium chromium-driver");
    db = PostgresDatabase.createOrSkip();
    // Every JVM of the cluster (cluster up and the nodes it starts) reads JAVA_TOOL_OPTIONS: reads
    // need the token as on a node bound beyond loopback.
    cluster =
        LocalCluster.up(
            dir,
            3,
            Map.of(
                "TROUPE_DB_URL",
                db.url(),
                "JAVA_TOOL_OPTIONS",
                "-Dtroupe.http.authenticate-reads=on"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1300");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      try {
        if (cluster != null) {
          cluster.stop();
        }
      } finally {
        if (db != null) {
          db.close();
        }
      }
    }
  }

  /**
   * Opens a node's dashboard: its API answers 401 without the token, so the page asks for it; a
   * wrong token is asked for again, the right one is kept for the tab.
   */
  private void open(String node) throws Exception {
    assertThat(LocalCluster.statusWithoutToken(node + "/api/cluster")).isEqualTo(401);
    browser.get(node + "/");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> browser.findElement(By.id("token-form")).isDisplayed());
    assertThat(browser.findElement(By.id("token-reason")).getText()).contains("needs its token");
    screenshot("dashboard-token.png");
    enterToken("not-the-token");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                browser.findElement(By.id("token-form")).isDisplayed()
                    && browser.findElement(By.id("token-reason")).getText().contains("refused"));
    enterToken(LocalCluster.TOKEN);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> !browser.findElement(By.id("token-form")).isDisplayed());
  }

  private void enterToken(String token) {
    WebElement input = browser.findElement(By.id("token"));
    input.clear();
    input.sendKeys(token);
    browser.findElement(By.cssSelector("#token-form button")).click();
  }

  @Test
  @Order(1)
  void membersShardsAndAJobsProgress_appearAndAdvance_thenItsReport() throws Exception {
    String job = JobsApi.submitLongPrimes(cluster.node(2));
    java.net.http.HttpResponse<String> page = LocalCluster.getResponse(cluster.node(0).http + "/");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'")
        .contains("frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    open(cluster.node(0).http);

    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> rows("#members tr[data-status='Up']").size() == 3);
    for (LocalCluster.Node node : cluster.nodes()) {
      assertThat(rows("#members tr[data-member='" + node.hostPort + "']")).hasSize(1);
    }
    // The job's coordinator is a sharded entity: its type shows with the node hosting it.
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> !rows("#shards tr[data-type='TroupeJob'][data-node]").isEmpty());

    String row = "#jobs tr[data-job='" + job + "']";
    AtomicLong first = new AtomicLong(-1);
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(
            () -> {
              long completed = Long.parseLong(attribute(row, "data-completed"));
              if (completed > 0 && first.get() < 0) {
                first.set(completed);
              }
              return first.get() > 0 && completed > first.get();
            });
    assertThat(attribute(row, "data-state")).isEqualTo("running");
    assertThat(Long.parseLong(attribute(row, "data-items"))).isGreaterThan(2000);
    // The progress bar's width is set through the CSSOM, which the page's policy allows (an
    // inline style attribute would be blocked, and the bar drawn full).
    double bar = px(browser.findElement(By.cssSelector(row + " .progress")).getCssValue("width"));
    double done =
        px(browser.findElement(By.cssSelector(row + " .progress > span")).getCssValue("width"));
    assertThat(done).isGreaterThan(0).isLessThan(bar);
    screenshot("dashboard.png");

    Awaitility.await()
        .atMost(Duration.ofMinutes(3))
        .ignoreExceptions()
        .until(
            () ->
                attribute(row, "data-state").equals("completed")
                    && browser.findElement(By.id("report")).isDisplayed());
    click(row);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                browser.findElement(By.id("detail-job")).getText().equals(job)
                    && browser
                        .findElement(By.id("report-summary"))
                        .getText()
                        .contains("3 node(s)"));
    assertThat(browser.findElement(By.id("bottleneck")).getText()).isEqualTo("sieve");
    screenshot("dashboard-report.png");
  }

  @Test
  @Order(2)
  void aSlowStage_isNamedTheBottleneck_andItsQueueGrowsOnTheDashboard() throws Exception {
    String job =
        JobsApi.submit(
            cluster.node(2), "slowstage", "--items", "400", "--fast-ms", "60", "--slow-ms", "150");
    open(cluster.node(1).http); // another origin: its own session storage, so asked again
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> !rows("#jobs tr[data-job='" + job + "']").isEmpty());
    click("#jobs tr[data-job='" + job + "']");

    List<Long> waiting = new ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              if (!browser.findElement(By.id("detail-job")).getText().equals(job)) {
                return false;
              }
              long now = Long.parseLong(attribute("#stages tr[data-stage='slow']", "data-waiting"));
              if (waiting.isEmpty() || waiting.get(waiting.size() - 1) != now) {
                waiting.add(now);
              }
              return browser.findElement(By.id("bottleneck")).getText().equals("slow")
                  && grew(waiting)
                  && !rows("#chart-depth polyline[data-stage='slow']").isEmpty();
            });
    screenshot("dashboard-slow-stage.png");
  }

  @Test
  @Order(3)
  void aRunningJob_isCanceledWithItsButton_andEveryNodeAnswersCanceled() throws Exception {
    String small = JobsApi.submit(cluster.node(1), "primes", "--limit", "1000000");
    JobsApi.awaitCompleted(cluster.node(1).http + "/api/jobs/" + small, "a small job");
    String job = JobsApi.submitLongPrimes(cluster.node(0));
    open(cluster.node(2).http); // a third origin: asked for the token once more
    String row = "#jobs tr[data-job='" + job + "']";
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(
            () ->
                attribute(row, "data-state").equals("running")
                    && Long.parseLong(attribute(row, "data-completed")) > 0
                    && !rows(row + " button[data-cancel]").isEmpty());
    // Jobs that are over have no Cancel button.
    assertThat(rows("#jobs tr[data-job='" + small + "'] button")).isEmpty();
    screenshot("dashboard-cancel-button.png");

    // The tab's token no longer holds (as after the node's token was changed): the confirmed
    // cancel, refused with 401 (or held back while the page's reads ask for the token), asks for
    // the token again and is sent once it is entered.
    ((JavascriptExecutor) browser)
        .executeScript("sessionStorage.setItem('troupe.token', 'not-the-token')");
    click(row + " button[data-cancel]");
    Alert confirm =
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .ignoreExceptions()
            .until(() -> browser.switchTo().alert(), a -> true);
    assertThat(confirm.getText()).contains("Cancel job " + job);
    confirm.accept();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                browser.findElement(By.id("token-form")).isDisplayed()
                    && browser.findElement(By.id("token-reason")).getText().contains("refused"));
    assertThat(
            LocalCluster.get(cluster.node(0).http + "/api/jobs/" + job)
                .body()
                .path("status")
                .asText())
        .isEqualTo("running");
    enterToken(LocalCluster.TOKEN);

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                attribute(row, "data-state").equals("canceled")
                    && attribute("#detail-state", "data-state").equals("canceled")
                    && browser.findElement(By.id("detail-job")).getText().equals(job)
                    && browser.findElement(By.id("report")).isDisplayed());
    assertThat(rows(row + " button")).isEmpty();
    assertThat(browser.findElement(By.cssSelector(row + " td.state-canceled")).getText())
        .isEqualTo("canceled");
    assertThat(browser.findElement(By.id("detail-state")).getDomAttribute("class"))
        .isEqualTo("state-canceled");
    assertThat(browser.findElement(By.id("cancel-problem")).isDisplayed()).isFalse();
    for (LocalCluster.Node node : cluster.nodes()) {
      JsonNode status = LocalCluster.get(node.http + "/api/jobs/" + job).body();
      assertThat(status.path("status").asText()).as(node.name).isEqualTo("canceled");
      assertThat(JobsApi.done(status)).as(node.name).isLessThan(JobsApi.items(status));
    }
    screenshot("dashboard-canceled.png");

    // A cancel the node refuses shows the answer's one error line, as text: a job that is over
    // (409), and an id with markup in it (404, which names the id).
    ((JavascriptExecutor) browser).executeScript("requestCancel(arguments[0])", small);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                browser
                    .findElement(By.id("cancel-problem"))
                    .getText()
                    .equals(
                        "cancel "
                            + small
                            + ": job "
                            + small
                            + " is over already (completed); there is nothing to cancel"));
    screenshot("dashboard-cancel-refused.png");
    ((JavascriptExecutor) browser).executeScript("requestCancel('<b>bold')");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                browser
                    .findElement(By.id("cancel-problem"))
                    .getText()
                    .equals("cancel <b>bold: no job <b>bold"));
    assertThat(rows("#cancel-problem b")).isEmpty();
  }

  private static boolean grew(List<Long> values) {
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i - 1) > 0 && values.get(i) > values.get(i - 1)) {
        return true;
      }
    }
    return false;
  }

  /** Clicks a row; the page redraws its tables every poll, so a row found may be gone: retry. */
  private void click(String css) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              browser.findElement(By.cssSelector(css)).click();
              return true;
            });
  }

  private static double px(String css) {
    return Double.parseDouble(css.replace("px", ""));
  }

  private List<WebElement> rows(String css) {
    return browser.findElements(By.cssSelector(css));
  }

  private String attribute(String css, String name) {
    return browser.findElement(By.cssSelector(css)).getDomAttribute(name);
  }

  private void screenshot(String name) throws Exception {
    File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.createDirectories(SCREENSHOTS);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
