// The web pages in a real browser: Debian's Chromium, driven by playwright-core, against
// `casereview serve` on a loopback port over a fresh SQLite file. Each role signs in and
// does a real task through the pages:
//   the panel chair records the panel's recommendation (and is refused a board decision),
//   an IMR author submits their IMR from "My tasks",
//   a board member opens the action-plan report (and its printed form),
// and every page visited is checked with axe-core: no serious or critical violation.
// Screenshots go to SCREENSHOT_DIR. The server runs under the pages' own Content Security
// Policy; a page that breaks it fails the test.
//
// Usage: node browser_test.mjs CASEREVIEW EXAMPLES_DIR SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const [casereview, examples, screenshots] = process.argv.slice(2);
if (!casereview || !examples || !screenshots) {
  console.error('usage: node browser_test.mjs CASEREVIEW EXAMPLES_DIR SCREENSHOT_DIR');
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) {
  console.error(`FAIL: no Chromium at ${chromiumPath}: run scripts/install-deps.sh (Debian's chromium package)`);
  process.exit(1);
}
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'casereview-browser-'));
const db = path.join(work, 'board.db');
fs.mkdirSync(screenshots, { recursive: true });
const password = 'correct horse battery staple';

let failures = 0;
function check(ok, what) {
  if (ok) {
    console.log(`ok - ${what}`);
  } else {
    failures++;
    console.log(`FAIL - ${what}`);
  }
}

function cli(args, input) {
  return execFileSync(casereview, ['--db', db, ...args], { input, encoding: 'utf8' });
}

// ---- the board: three reviews of the example at different points ----
// SCR-2026-001: its action plan being carried out (the board's report);
// SCR-2026-002: IMRs commissioned (the csc author's task);
// SCR-2026-003: a quorate panel has met (the chair's recommendation is next).
const scenario = JSON.parse(fs.readFileSync(path.join(examples, 'scr_full_lifecycle.json'), 'utf8'));
const cuts = { a: scenario.steps.findIndex((s) => s.event === 'ActionProgressRecorded') + 1,
               b: scenario.steps.findIndex((s) => s.event === 'ImrSubmitted'),
               c: 5 };
for (const [name, cut] of Object.entries(cuts)) {
  const part = { ...scenario, steps: scenario.steps.slice(0, cut),
                 board_file: path.resolve(examples, scenario.board_file) };
  const file = path.join(work, `part-${name}.json`);
  fs.writeFileSync(file, JSON.stringify(part));
  cli(['scenario', 'run', file, '--quiet']);
}
cli(['person', 'add', '--id', 'p-board-member', '--name', 'Bo Member', '--email', 'member@example.org',
     '--roles', 'board-member']);
for (const id of ['p-panel-chair', 'p-csc-author', 'p-board-member'])
  cli(['person', 'password', '--id', id], password + '\n');

// ---- the server, on a fixed simulated day so due dates and RAG do not drift ----
async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(casereview, ['--db', db, 'serve', '--port', String(port), '--mail-drop', path.join(work, 'drop')], {
  env: { ...process.env, CASEREVIEW_CLOCK: `2026-11-21T09:00:00Z*1@${Date.now() / 1000}` },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverLog = '';
server.stdout.on('data', (d) => { serverLog += d; });
server.stderr.on('data', (d) => { serverLog += d; });
for (let i = 0; ; i++) {
  try {
    const r = await fetch(`${base}/api/v1/health`);
    if (r.ok) break;
  } catch { /* not listening yet */ }
  if (i > 300) { console.error(`FAIL: the server did not start:\n${serverLog}`); process.exit(1); }
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// axe-core on the page as it is: fails on any serious or critical violation.
async function accessible(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result.violations)
    console.log(`  axe ${v.impact}: ${v.id} (${v.nodes.length}) on ${what}: ${v.help}`);
  check(bad.length === 0, `${what}: no serious or critical accessibility violations (axe-core ${result.testEngine.version})`);
}

async function shot(page, name, options = {}) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true, ...options });
}

async function signedIn(email, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // Script errors, CSP violations and any sub-resource that failed. A page's own status (a
  // refusal's 409) is checked where it is expected, not here.
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' && r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${base}/reviews`);
  check(new URL(page.url()).pathname === '/sign-in', `${name}: a page asks for sign-in first`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  return { context, page, problems };
}

try {
  // -- a wrong password: an error summary, no session
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email address').fill('jordan.pike@example.org');
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    check(await page.locator('.govuk-error-summary').isVisible(), 'a wrong password shows the error summary');
    check(new URL(page.url()).pathname === '/sign-in', 'a wrong password stays on the sign-in page');
    await accessible(page, 'sign-in (with an error)');
    await shot(page, '01-sign-in-error');
    await context.close();
  }

  // -- the panel chair: every review, then the panel's recommendation on SCR-2026-003
  {
    const { context, page, problems } = await signedIn('jordan.pike@example.org', 'panel chair');
    check(new URL(page.url()).pathname === '/reviews', 'the panel chair lands on the review list');
    const rows = page.locator('table#reviews tbody tr');
    check(await rows.count() === 3, 'the list shows all three open reviews');
    check(await page.locator('tr.cr-overdue', { hasText: 'SCR-2026-003' }).count() === 1,
          'the review with an overdue deadline is highlighted');
    await accessible(page, 'review list');
    await shot(page, '02-chair-review-list');

    await page.getByRole('link', { name: 'SCR-2026-003' }).click();
    await page.waitForLoadState();
    check(await page.getByRole('heading', { level: 1, name: 'SCR-2026-003' }).isVisible(), 'the review page opens');
    const timeline = await page.locator('ol#timeline').innerText();
    check(timeline.includes('CaseReferred, recorded by p-spoc') && timeline.includes('PanelMeetingHeld'),
          'the timeline lists what was recorded (and the scheduler\'s reminders since)');
    await accessible(page, 'review page');
    await shot(page, '03-chair-review-page');

    // A decision that is the board chair's: refused, nothing recorded.
    await page.getByLabel('Record what has happened').selectOption('ChairDecidedToProceed');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForLoadState();
    await page.getByLabel('Date').fill('2026-11-21');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.waitForLoadState();
    check(await page.locator('.govuk-error-summary').isVisible(), 'a board decision by the panel chair is refused on the page');
    check((await page.locator('.govuk-error-summary').innerText()).includes('Nothing was recorded'),
          'the refusal says nothing was recorded');
    await accessible(page, 'record form (refused)');
    await shot(page, '04-chair-refused');

    // The panel's recommendation.
    await page.goto(`${base}/reviews/SCR-2026-003`);
    await page.getByLabel('Record what has happened').selectOption('ScrRecommended');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForLoadState();
    await page.getByLabel('Reasons').fill('Serious injury; abuse suspected; concerns about how agencies worked together.');
    await accessible(page, 'record form');
    await shot(page, '05-chair-record-form');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.waitForLoadState();
    const url = new URL(page.url());
    check(url.pathname === '/reviews/SCR-2026-003' && url.searchParams.get('recorded') === 'ScrRecommended',
          'recording the recommendation returns to the review');
    check((await page.locator('.govuk-notification-banner').innerText()).includes('ScrRecommended recorded'),
          'a success banner confirms it');
    await shot(page, '06-chair-recorded');
    check(problems.length === 0, `the chair's pages raised no browser errors (CSP included): ${problems.join(' | ')}`);
    await context.close();
  }

  // -- an IMR author: "My tasks", then submitting the IMR
  {
    const { context, page, problems } = await signedIn('avery.thorne@example.org', 'IMR author');
    check(new URL(page.url()).pathname === '/tasks', 'the author lands on My tasks');
    const row = page.locator('table#tasks tr', { hasText: 'SCR-2026-002' });
    check(await row.count() === 1, "the author's IMR on SCR-2026-002 is listed");
    check((await page.locator('table#tasks').innerText()).includes('(csc)'), 'it is their agency\'s IMR');
    check(!(await page.locator('table#tasks').innerText()).includes('(police)'), "another agency's IMR is not listed");
    await accessible(page, 'my tasks');
    await shot(page, '07-author-tasks');
    await row.getByRole('button', { name: 'Submit the IMR' }).click();
    await page.waitForLoadState();
    const url = new URL(page.url());
    check(url.pathname === '/tasks' && url.searchParams.get('recorded') === 'ImrSubmitted',
          'submitting returns to My tasks');
    check((await page.locator('.govuk-notification-banner').innerText()).includes('ImrSubmitted recorded on SCR-2026-002'),
          'a success banner confirms the submission');
    await accessible(page, 'my tasks (after submitting)');
    await shot(page, '08-author-submitted');
    const review = await page.goto(`${base}/reviews/SCR-2026-002`);
    check(review.status() === 403, 'the author cannot open the review itself');
    check(problems.length === 0, `the author's pages raised no browser errors: ${problems.join(' | ')}`);
    await context.close();
  }

  // -- a board member: the action-plan report, on screen and printed
  {
    const { context, page, problems } = await signedIn('member@example.org', 'board member');
    check(new URL(page.url()).pathname === '/board', 'the board member lands on the action plans');
    check(await page.locator('svg.cr-chart').count() === 2, 'the report has its two charts');
    check(await page.getByRole('heading', { name: /SCR-2026-001/ }).isVisible(), 'the plan of SCR-2026-001 is reported');
    check(await page.locator('table .cr-rag').count() === 3, 'each of its three actions has a RAG status');
    await accessible(page, 'action plans');
    await shot(page, '09-board-action-plans');
    await page.emulateMedia({ media: 'print' });
    check(!(await page.locator('.govuk-service-navigation').isVisible()), 'the printed report leaves out the navigation');
    await shot(page, '10-board-action-plans-print');
    await page.emulateMedia({ media: 'screen' });
    const list = await page.goto(`${base}/reviews`);
    check(list.status() === 403, 'a board member cannot open the review list (no case details)');
    check(problems.length === 0, `the board member's pages raised no browser errors: ${problems.join(' | ')}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
}

// What the pages did, seen from the command line.
const events = (ref) => JSON.parse(cli(['--json', 'review', 'show', ref])).history;
const recommended = events('SCR-2026-003').filter((e) => e.type === 'ScrRecommended');
check(recommended.length === 1 && recommended[0].by === 'p-panel-chair', 'the recommendation is in the log, by the panel chair');
check(!events('SCR-2026-003').some((e) => e.type === 'ChairDecidedToProceed'), 'the refused decision is not in the log');
const submitted = events('SCR-2026-002').filter((e) => e.type === 'ImrSubmitted');
check(submitted.length === 1 && submitted[0].by === 'p-csc-author', 'the IMR submission is in the log, by its author');
const audit = cli(['audit', 'list']);
check(audit.includes('p-board-member\taction-plans.read\tdemo\tok'), "the board member's report is in the audit log");
check(audit.includes('p-csc-author\treview.read\tSCR-2026-002\tforbidden'), "the author's refused look is in the audit log");

fs.rmSync(work, { recursive: true, force: true });
console.log(`browser tests: ${failures === 0 ? 'all passed' : `${failures} failed`} (screenshots in ${screenshots})`);
process.exit(failures === 0 ? 0 : 1);
