// `memalot print ID --html` in a real browser: Debian's Chromium, driven by playwright-core,
// opens the page that the real CLI wrote for a report that a real monitored program saved.
// The page must load nothing (no request but its own file), log no error, show the chart and
// the types, and open a trace tree on a click. Chromium is a requirement of this test, not an
// option: without it the test fails and says how to install it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../lib/report/html/page.js';
import { runCli } from './helpers/cli.js';
import { HOSTILE_VALUE, makeTrendReport, type TrendReport } from './helpers/trend-report.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('memalot print --html in Chromium', () => {
  let report: TrendReport;
  let html: string;
  let pageFile: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is not installed at ${CHROMIUM}: this test needs it (apt-get install chromium)`);
    report = await makeTrendReport();
    const result = await runCli(['print', report.reportId, '--html', '--report-directory', report.reportDirectory]);
    assert.equal(result.code, 0, result.stderr);
    html = result.stdout;
    const dir = mkdtempSync(join(tmpdir(), 'memalot-html-'));
    pageFile = join(dir, 'report.html');
    writeFileSync(pageFile, html);
    profile = mkdtempSync(join(tmpdir(), 'memalot-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`failed request: ${request.url()}`));
    page.on('request', (request) => requests.push(request.url()));
    page.on('dialog', (dialog) => problems.push(`dialog: ${dialog.message()}`));
    await page.goto(pathToFileURL(pageFile).href, { waitUntil: 'load' });
  });

  after(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  test('one self-contained page: nothing fetched, no error, a policy that forbids the network', async () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [pathToFileURL(pageFile).href], 'the page itself is the only request');
    assert.doesNotMatch(html, /<script(?![^>]*type="application\/json")/, 'no script runs');
    assert.doesNotMatch(html, /(src|href)=["']?(https?:|\/\/)/i, 'no external resource');
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.equal(policy, CONTENT_SECURITY_POLICY);
    assert.match(policy!, /default-src 'none'/);
  });

  test('the chart and the types are shown, each type with its verdict', async () => {
    const chart = page.locator('svg#trend-chart');
    assert.ok(await chart.isVisible(), 'the chart is visible');
    const box = await chart.boundingBox();
    assert.ok(box !== null && box.width > 200 && box.height > 100, `the chart has a size: ${JSON.stringify(box)}`);
    const series = await page.locator('svg#trend-chart g.series').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-type')));
    assert.ok(series.includes('program.mjs:SteadyLeak') && series.includes('program.mjs:StartupCache'), `a line per type: ${series.join(', ')}`);
    const verdictOf = async (type: string) => (await page.locator('table.trend tr', { hasText: type }).locator('.verdict').textContent())?.trim();
    assert.equal(await verdictOf('program.mjs:SteadyLeak'), 'growing');
    assert.equal(await verdictOf('program.mjs:StartupCache'), 'one-off');
    assert.ok(await page.getByText('program.mjs:SteadyLeak', { exact: true }).first().isVisible());
    // The data block is the trend, as JSON that parses back.
    const data = JSON.parse((await page.locator('script#memalot-trend').textContent()) ?? '') as { types: { objectType: string; verdict: string }[] };
    assert.deepEqual(data.types.find((t) => t.objectType === 'program.mjs:StartupCache')?.verdict, 'one-off');
  });

  test('a trace tree opens on a click and shows the path to the root', async () => {
    const trace = page.locator('#leaks details.iteration[open] details.trace').first();
    const root = trace.locator('.root').first();
    assert.equal(await trace.evaluate((d) => d.hasAttribute('open')), false, 'closed at first');
    assert.equal(await root.isVisible(), false);
    await trace.locator('> summary').click();
    assert.equal(await trace.evaluate((d) => d.hasAttribute('open')), true);
    assert.ok(await root.isVisible(), 'the root is shown once the tree is open');
    assert.match((await trace.textContent()) ?? '', /module variable in program\.mjs/);
  });

  test("the report's strings are text, never markup", async () => {
    assert.equal(await page.locator('#injected').count(), 0, 'no element made from a value');
    await page.locator('#leaks details.iteration', { hasText: 'StartupCache' }).first().locator('> summary').click();
    const values = await page.locator('pre.value').allTextContents();
    assert.ok(values.some((v) => v.includes(HOSTILE_VALUE)), `the value is shown as written: ${values.slice(0, 3).join(' | ')}`);
    assert.ok(!html.includes(HOSTILE_VALUE), 'and the file holds it only escaped');
  });
});
