/**
 * The docs page in a real headless browser: Debian's Chromium
 * (`/usr/bin/chromium`, never a downloaded one) driven by playwright-core,
 * against the real local server (`wrangler dev` of the API and the docs
 * Worker, as `npm start` runs it). The page loads without a console error;
 * the live validator shows the rules' exact OperationOutcome for a Flag with
 * the wrong code (A2) and "valid" for a good one, and decides every example
 * exactly as the server answers it; the sandbox console gets a token and
 * performs an Add (201 with Location). A
 * screenshot is saved under `e2e/artefacts/` (git-ignored) and its path
 * printed, with what the page transferred.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REMOVAL_EXTENSION_URLS, REMOVAL_REASON_SYSTEMS, catalogue, toOperationOutcome } from '@fgm-is/rules';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSandboxToken } from '../scripts/sandbox-token.ts';
import { type SandboxServer, startSandboxServer } from './support/server.ts';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when missing). */
const CHROMIUM = '/usr/bin/chromium';
const ARTEFACTS = fileURLToPath(new URL('./artefacts/', import.meta.url));

let server: SandboxServer | undefined;
let browser: Browser | undefined;
let page: Page;
/** Console errors and uncaught exceptions of the page. */
const problems: string[] = [];
/** What each response of the page load transferred (headers and body, as received). */
const transferred: { url: string; bytes: number }[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  [server, browser] = await Promise.all([
    startSandboxServer(),
    // --no-sandbox: CI runs as root, where Chromium's own sandbox cannot start.
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] }),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('requestfinished', async (request) => {
    const sizes = await request.sizes();
    transferred.push({ url: new URL(request.url()).pathname, bytes: sizes.responseHeadersSize + sizes.responseBodySize });
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the docs page in Chromium', () => {
  it('loads with no console error, its module running', async () => {
    const response = await page.goto(`${server?.baseUrl}/`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.locator('#validator-example option').count()).toBeGreaterThan(5);
    await expect.poll(() => page.locator('#console-asid option').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    const total = transferred.reduce((sum, t) => sum + t.bytes, 0);
    console.info(
      `docs page: transferred ${total} bytes in ${transferred.length} responses (${transferred.map((t) => `${t.url} ${t.bytes}`).join(', ')})`,
    );
  });

  it('the validator shows the exact OperationOutcome of A2 for a Flag with the wrong code', async () => {
    await page.getByLabel('Example', { exact: true }).selectOption({ label: 'Wrong code (A2)' });
    const result = page.locator('#validator-result');
    await expect.poll(() => result.textContent()).toBe('Refused: 400 UNSUPPORTED_VALUE: Code must be 902961000000107');
    const shown = JSON.parse((await page.locator('#validator-outcome').textContent()) ?? '') as { id: string };
    expect(shown).toEqual(toOperationOutcome(catalogue.A2, shown.id));
    expect(shown.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the validator says "valid" for a good Flag, pasted and validated from the keyboard', async () => {
    await page.getByLabel('Example', { exact: true }).selectOption({ index: 0 });
    // Pasted as one line, as a client's log would have it.
    const good = JSON.stringify(JSON.parse(await page.getByLabel('Flag (JSON)').inputValue()));
    await page.getByLabel('Flag (JSON)').fill(good);
    await page.getByRole('button', { name: 'Validate' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#validator-result').textContent()).toBe('Valid: the sandbox would create this flag (201 Created).');
    expect(await page.locator('#validator-outcome').isHidden()).toBe(true);
  });

  it('the validator decides every example exactly as the server answers it (status and OperationOutcome, id aside)', async () => {
    const token = await signSandboxToken({ sub: '555555555555', activities: ['B0380'], role: 'R8000', org: 'A12345' });
    const headers = {
      Authorization: `Bearer ${token}`,
      TraceID: 'e2e-validator',
      FromASID: '200000000001',
      ToASID: '200000000000',
      'Content-Type': 'application/fhir+json',
    };
    const example = page.getByLabel('Example', { exact: true });
    const labels = await example.locator('option').allTextContents();
    expect(labels.length).toBeGreaterThan(5);
    // The valid Add (the first example) last: it changes the register, and the page decides against the sandbox as seeded.
    const order = [...labels.keys()].slice(1).concat(0);
    await page.getByLabel('Also decide against the sandbox patient directory').check();
    for (const index of order) {
      const label = labels[index] ?? '';
      await example.selectOption({ index });
      await expect.poll(() => page.locator('#validator-result').textContent(), { message: label }).toMatch(/^(Valid|Refused)/);
      const shown = (await page.locator('#validator-result').textContent()) ?? '';
      const body = await page.getByLabel('Flag (JSON)').inputValue();
      const response = await fetch(`${server?.baseUrl}/Flag`, { method: 'POST', headers, body });
      const sent = (await response.json()) as Record<string, unknown>;
      if (shown.startsWith('Valid')) {
        expect(response.status, label).toBe(201);
        // Put the register back as seeded, for the console's Add below: the new flag removed (entered in error).
        const id = String(sent.id);
        const extension = [{ url: REMOVAL_EXTENSION_URLS[0], valueCoding: { system: REMOVAL_REASON_SYSTEMS[0], code: '0' } }];
        const removal = { resourceType: 'Flag', id, status: 'entered-in-error', extension };
        const removed = await fetch(`${server?.baseUrl}/Flag/${id}`, { method: 'PUT', headers, body: JSON.stringify(removal) });
        expect(removed.status, 'removing the flag the valid example added').toBe(200);
      } else {
        const decided = JSON.parse((await page.locator('#validator-outcome').textContent()) ?? '') as Record<string, unknown>;
        expect(shown, label).toMatch(new RegExp(`^Refused: ${response.status} `));
        const { id: _sentId, ...sentOutcome } = sent;
        const { id: _decidedId, ...decidedOutcome } = decided;
        expect(sentOutcome, label).toEqual(decidedOutcome);
      }
    }
  });

  it('the sandbox console gets a token and performs an Add: 201 with Location, the full response shown', async () => {
    await page.getByLabel('Calling system (FromASID)').selectOption('200000000001');
    await page.getByLabel('User’s role (the token’s activities)').selectOption('B0380');
    await page.getByRole('button', { name: 'Get a sandbox token' }).click();
    await expect.poll(() => page.getByLabel('Token', { exact: true }).inputValue()).toMatch(/^eyJ/);
    await page.getByLabel('Interaction', { exact: true }).selectOption('add');
    await page.getByRole('button', { name: 'Send' }).click();
    const status = page.locator('#console-status');
    await expect.poll(() => status.textContent()).toMatch(/^201 Created — Location: http:\/\/127\.0\.0\.1:\d+\/Flag\/[0-9a-f-]{36}$/);
    const shownResponse = (await page.locator('#console-response').textContent()) ?? '';
    expect(shownResponse).toMatch(/^HTTP 201 Created\n/);
    expect(shownResponse).toMatch(/^location: /m);
    expect(shownResponse).toMatch(/^etag: W\/"1"$/m);
    expect(shownResponse).toContain('"resourceType": "Flag"');
    expect(await page.locator('#console-request').textContent()).toMatch(/^POST \/Flag HTTP\/1\.1\nAuthorization: Bearer eyJ/);
    expect(problems).toEqual([]);

    mkdirSync(ARTEFACTS, { recursive: true });
    const screenshot = `${ARTEFACTS}docs-page.png`;
    await page.locator('#console').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshot, fullPage: true });
    console.info(`docs page: screenshot saved to ${screenshot}`);
  });

  it('[H-09] the console sends the child on screen: the NHS number typed is the body’s, and a body naming another child is not sent', async () => {
    await page.getByLabel('Interaction', { exact: true }).selectOption('add');
    const field = page.getByLabel('NHS number', { exact: true });
    await field.fill('9000000068');
    const body = page.getByLabel('Body', { exact: true });
    expect(JSON.parse(await body.inputValue()).subject.identifier.value).toBe('9000000068');
    await page.getByRole('button', { name: 'Send' }).click();
    const status = page.locator('#console-status');
    await expect.poll(() => status.textContent()).toMatch(/^\d{3} /);
    const request = (await page.locator('#console-request').textContent()) ?? '';
    expect(request).toContain('"value": "9000000068"');
    expect(request).not.toContain('9000000017');
    // A body edited to name another child than the field is refused on the page, and nothing is sent.
    const before = request;
    await body.fill((await body.inputValue()).replace('9000000068', '9000000009'));
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => status.textContent()).toMatch(/^Not sent: the body names NHS number 9000000009, the NHS number field 9000000068/);
    expect(await page.locator('#console-request').textContent()).toBe(before);
    expect(problems).toEqual([]);
  });

  it('at 390 × 844 (a phone) the page does not scroll sideways and every table cell is on screen, its text unclipped', async () => {
    if (!browser) throw new Error('no browser');
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await phone.goto(`${server?.baseUrl}/`, { waitUntil: 'networkidle' });
      // A script run in the page (this workspace's TypeScript has no DOM types): the page's width and each table cell's box.
      const layout = await phone.evaluate<{
        width: number;
        scrollWidth: number;
        tables: number;
        cells: number;
        offScreen: string[];
        scrolled: string[];
        clipped: string[];
      }>(`(() => {
        const width = document.documentElement.clientWidth;
        const cells = [...document.querySelectorAll('table td, table tbody th')];
        const name = (cell) => cell.closest('table').querySelector('caption').textContent + ': ' + cell.textContent.slice(0, 40);
        // Whether a cell sits in a box that scrolls sideways (its text then needs scrolling to be read).
        const inScroller = (cell) => {
          for (let box = cell.parentElement; box; box = box.parentElement) {
            if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX) && box.scrollWidth > box.clientWidth) return true;
          }
          return false;
        };
        return {
          width,
          scrollWidth: document.documentElement.scrollWidth,
          tables: document.querySelectorAll('table').length,
          cells: cells.length,
          offScreen: cells.filter((cell) => cell.getBoundingClientRect().left < 0 || cell.getBoundingClientRect().right > width).map(name),
          scrolled: cells.filter(inScroller).map(name),
          clipped: cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map(name),
        };
      })()`);
      expect(layout.width).toBe(390);
      expect(layout.scrollWidth).toBeLessThanOrEqual(390);
      expect(layout.tables).toBe(4);
      expect(layout.cells).toBeGreaterThan(300);
      expect(layout.offScreen).toEqual([]);
      expect(layout.scrolled).toEqual([]);
      expect(layout.clipped).toEqual([]);
      mkdirSync(ARTEFACTS, { recursive: true });
      const screenshot = `${ARTEFACTS}docs-page-390.png`;
      await phone.screenshot({ path: screenshot, fullPage: true });
      console.info(`docs page at 390 px: ${layout.cells} table cells on screen; screenshot saved to ${screenshot}`);
    } finally {
      await phone.close();
    }
  });
});
