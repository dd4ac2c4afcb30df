// Another page on the console's own origin (another app, an XSS elsewhere)
// frames the console or opens it with window.open. The console must refuse to
// start in both, say why on screen, and create nothing; with the headers of
// deploy/_headers the browser itself refuses the frame, before any code runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { launch, DIST } from './support/browser.mjs';

const PREFIX = '/tools/keywrap/';
const SIBLING = {
  '/other-app/frame.html':
    `<!doctype html><title>Another app</title><iframe src="${PREFIX}" title="console" width="900" height="600"></iframe>`,
  '/other-app/index.html': '<!doctype html><title>Another app</title><p>Another app on the same origin.</p>',
};

// `plain`: a host that ignores _headers (the guard alone); `headed`: a host
// that sends them.
let plain, headed, browser;
before(async () => {
  plain = await startServer({ root: DIST, prefix: PREFIX, pages: SIBLING });
  headed = await startServer({ root: DIST, prefix: PREFIX, pages: SIBLING, headers: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await plain?.close();
  await headed?.close();
});

/** What a refused console shows, read in `frame` (a Page or a Frame). */
async function refusal(frame) {
  const box = frame.getByTestId('refusal');
  await box.waitFor({ timeout: 30_000 });
  return {
    text: (await box.textContent()).replace(/\s+/g, ' '),
    role: await box.getAttribute('role'),
    terminal: await frame.getByLabel('Command', { exact: true }).count(),
    log: await frame.getByRole('log').count(),
    selfTest: await frame.getByTestId('self-test').count(),
  };
}

test('framed by a sibling page on the same origin, the console refuses to start and says why', async () => {
  const page = await browser.newPage();
  await page.goto(`${plain.origin}/other-app/frame.html`);
  const frame = page.frameLocator('iframe[title="console"]');
  const seen = await refusal(frame);
  assert.match(seen.text, /will not run inside another page/);
  assert.match(seen.text, /can type commands into it and read every key/);
  assert.match(seen.text, /no key was created/);
  assert.equal(seen.role, 'alert');
  assert.deepEqual([seen.terminal, seen.log, seen.selfTest], [0, 0, 0], 'no terminal, no transcript, no app');

  // The sibling can reach into the frame (same origin): there is nothing to type into.
  const reach = await page.evaluate(() => {
    const doc = document.querySelector('iframe').contentDocument;
    return { inputs: doc.querySelectorAll('input, textarea, button').length, text: doc.body.textContent };
  });
  assert.equal(reach.inputs, 0, 'no control the framing page could drive');
  assert.match(reach.text, /will not run inside another page/);
  await page.close();
});

test('opened by a sibling page that keeps its handle, the console refuses to start and says why', async () => {
  const page = await browser.newPage();
  await page.goto(`${plain.origin}/other-app/index.html`);
  const popup = page.waitForEvent('popup');
  await page.evaluate((url) => { window.consoleHandle = window.open(url); }, PREFIX);
  const opened = await popup;
  const seen = await refusal(opened);
  assert.match(seen.text, /will not run in a window another page opened/);
  assert.match(seen.text, /no key was created/);
  assert.deepEqual([seen.terminal, seen.log, seen.selfTest], [0, 0, 0], 'no terminal, no transcript, no app');

  // Why it refuses: the opener holds a live handle into the window.
  const through = await page.evaluate(() => window.consoleHandle.document.body.textContent);
  assert.match(through, /will not run in a window another page opened/);
  await opened.close();
  await page.close();
});

test('opened with noopener, the opener holds nothing, and the console runs', async () => {
  const page = await browser.newPage();
  await page.goto(`${plain.origin}/other-app/index.html`);
  const popup = page.context().waitForEvent('page');
  const handle = await page.evaluate((url) => window.open(url, '_blank', 'noopener') === null, PREFIX);
  assert.ok(handle, 'window.open with noopener returns no handle');
  const opened = await popup;
  await opened.getByTestId('self-test').waitFor({ timeout: 30_000 });
  assert.equal(await opened.getByTestId('refusal').count(), 0);
  await opened.close();
  await page.close();
});

test('with the headers of deploy/_headers, the browser refuses the frame before any of its code loads', async () => {
  const page = await browser.newPage();
  const served = headed.requests.length;
  await page.goto(`${headed.origin}/other-app/frame.html`);
  await page.waitForTimeout(1500);
  const urls = headed.requests.slice(served).map((r) => r.url);
  // The host answered the frame's navigation with frame-ancestors 'none':
  // no script, wasm or stylesheet of the console was ever requested.
  assert.ok(urls.includes(PREFIX), `the frame asked for the page: ${urls}`);
  assert.deepEqual(urls.filter((u) => /\.(js|wasm|css)$/.test(u)), [], 'no file of the app was loaded');
  const frame = page.frames().find((f) => f !== page.mainFrame());
  const inside = await frame.evaluate(() => document.body?.textContent ?? '').catch(() => '');
  assert.doesNotMatch(inside, /Keywrap Console|will not run/, 'nothing of the console is shown in the frame');
  await page.close();
});

test('with Cross-Origin-Opener-Policy, a sibling page without it that opens the console loses its handle', async () => {
  const page = await browser.newPage();
  await page.goto(`${headed.origin}/other-app/index.html`);
  const next = page.context().waitForEvent('page');
  await page.evaluate((url) => { window.consoleHandle = window.open(url); }, PREFIX);
  const opened = await next;
  await opened.getByTestId('self-test').waitFor({ timeout: 30_000 });
  // The browser severed the two windows: the opener sees a closed window and
  // the console has no opener, so it runs.
  await page.waitForFunction(() => window.consoleHandle.closed === true, null, { timeout: 10_000 });
  assert.equal(await opened.evaluate(() => window.opener), null);
  await opened.close();
  await page.close();
});
