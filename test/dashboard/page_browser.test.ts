/**
 * The dashboard page end to end in a real headless browser (Debian's chromium, driven by
 * playwright-core): the stack `npm start` runs, orders POSTed to the function, the page
 * loaded from the dashboard server, and the numbers read from the drawn SVG charts.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHARTS } from "../../dashboard/charts";
import { startTestStack, type TestStack } from "../function/stack_fixture";
import { ALL_LABELS, AUG_9, AUG_9_LABELS, FIXTURE_ORDERS } from "./orders_fixture";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let t: TestStack;
let browser: BrowserContext;
let page: Page;
const dir = mkdtempSync(join(tmpdir(), "orders-dashboard-page-"));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
  t = await startTestStack();
  browser = await chromium.launchPersistentContext(join(dir, "profile"), { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1200, height: 900 } });
  page = await browser.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  // The screenshot stays for a person to look at; the browser profile goes.
  rmSync(join(dir, "profile"), { recursive: true, force: true });
});

/** Waits until the page has drawn the answer to its latest read. */
const settled = async (): Promise<void> => {
  await page.waitForSelector("body[data-state=ready]");
};

const refresh = async (): Promise<void> => {
  await page.click("#refresh");
  await settled();
};

/** Per chart: its state (drawn, empty, error), its value labels by description, and its message. */
const charts = (): Promise<Record<string, { state: string; labels: Record<string, string>; message: string }>> =>
  page.$$eval("section[data-chart]", (sections) =>
    Object.fromEntries(
      sections.map((s) => [
        s.getAttribute("data-chart") ?? "",
        {
          state: s.getAttribute("data-state") ?? "",
          labels: Object.fromEntries([...s.querySelectorAll(".values_marks text")].map((e) => [e.getAttribute("aria-label") ?? "", e.textContent ?? ""])),
          message: s.querySelector("p")?.textContent ?? "",
        },
      ]),
    ),
  );

const drawn = (labels: Record<string, Record<string, string>>) =>
  Object.fromEntries(Object.entries(labels).map(([id, l]) => [id, { state: Object.keys(l).length ? "drawn" : "empty", labels: l, message: Object.keys(l).length ? "" : expect.stringContaining("No orders") }]));

test("an empty warehouse: the page shows an empty state for every chart and when it read the data", async () => {
  await page.goto(`${t.stack.dashboardUrl}/`);
  await settled();
  const shown = await charts();
  expect(Object.keys(shown)).toEqual(CHARTS.map((c) => c.id));
  for (const chart of Object.values(shown)) expect(chart).toEqual({ state: "empty", labels: {}, message: "No orders in this date range yet." });
  expect(await page.textContent("#status")).toMatch(/^Data read at /);
});

test("after orders are POSTed, Refresh draws the four charts with the right numbers", async () => {
  expect((await t.api.post(FIXTURE_ORDERS)).status).toBe(200);
  const before = await page.textContent("#status");
  await new Promise((r) => setTimeout(r, 1100)); // the read time is shown to the second
  await refresh();
  expect(await charts()).toEqual(drawn(ALL_LABELS));
  expect(await page.textContent("#status")).not.toBe(before);
  expect(await page.locator("section[data-chart] svg").count()).toBe(CHARTS.length);
  const screenshot = join(dir, "dashboard.png");
  await page.screenshot({ path: screenshot, fullPage: true });
  expect(statSync(screenshot).size).toBeGreaterThan(10_000);
  console.log(`dashboard screenshot: ${screenshot}`);
});

test("a date range redraws the charts from the orders placed in it", async () => {
  await page.fill("#from", AUG_9.from);
  await page.fill("#to", AUG_9.to);
  await refresh();
  expect(await charts()).toEqual(drawn(AUG_9_LABELS));
  await page.fill("#from", "");
  await page.fill("#to", "");
  await refresh();
  expect(await charts()).toEqual(drawn(ALL_LABELS));
});

test("a broken view: its chart shows the query's error message, the others still draw", async () => {
  // What an analyst's bad edit to a view looks like: the column the chart reads is gone.
  await t.bigquery.query("CREATE OR REPLACE VIEW `local-project.ecommerce_orders.latest_order_v` AS SELECT 'x' AS order_id");
  await refresh();
  const shown = await charts();
  expect(shown.orders_by_status.state).toBe("error");
  expect(shown.orders_by_status.message).toMatch(/^Query failed: .*order_status/);
  expect(shown.cancellation_rate).toEqual(drawn(ALL_LABELS).cancellation_rate);
  expect(await page.textContent("#status")).toMatch(/\(1 of 4 queries failed\)/);
  await page.screenshot({ path: join(dir, "dashboard-broken-view.png"), fullPage: true });
});

test("the local BigQuery stopped: every chart says why, and the page recovers when it is back", async () => {
  await t.stack.stopBigQuery();
  try {
    await refresh();
    const shown = await charts();
    for (const chart of Object.values(shown)) expect(chart).toMatchObject({ state: "error", message: expect.stringMatching(/^Query failed: ./) });
  } finally {
    await t.stack.startBigQuery();
  }
  await refresh();
  expect((await charts()).new_orders_per_day).toEqual(drawn(ALL_LABELS).new_orders_per_day);
}, 120_000);

test("a bad date range is a 400 naming the parameter", async () => {
  const bad = await fetch(`${t.stack.dashboardUrl}/api/charts?from=2025-02-30`);
  expect(bad.status).toBe(400);
  expect(await bad.json()).toEqual({ error: 'from must be a date as YYYY-MM-DD, got "2025-02-30"' });
  const reversed = await fetch(`${t.stack.dashboardUrl}/api/charts?from=2025-08-10&to=2025-08-09`);
  expect(await reversed.json()).toEqual({ error: "from (2025-08-10) is after to (2025-08-09)" });
});
