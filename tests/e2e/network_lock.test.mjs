// The release page, served under a sub-path by a static host, boots under its
// Content-Security-Policy and then cannot send anything anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './support/server.mjs';
import { launch, DIST, waitForConsole } from './support/browser.mjs';

const PREFIX = '/some/sub/path/';
let host, elsewhere, browser;

before(async () => {
  host = await startServer({ root: DIST, prefix: PREFIX });
  elsewhere = await startServer({ root: null });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await host?.close();
  await elsewhere?.close();
});

test('the built page carries a policy with the loader hash and no unsafe-inline', async () => {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  assert.ok(csp, 'index.html has a CSP meta');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]{43}='/);
  assert.doesNotMatch(csp, /unsafe-inline|TRUNK-LOADER-HASH|https?:/);
  for (const directive of ["default-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'"]) {
    assert.ok(csp.includes(directive), `policy has ${directive}`);
  }
  // No absolute path: the build works under any sub-path.
  assert.doesNotMatch(html, /(src|href)="\/[^/]/);
});

test('under a sub-path the console boots, then nothing reaches any server', async () => {
  const page = await browser.newPage();
  const consoleMessages = [];
  page.on('console', (m) => consoleMessages.push(m.text()));
  await page.goto(host.base);
  await waitForConsole(page);
  assert.match(await page.textContent('[data-testid="self-test"]'), /passed/);
  assert.deepEqual(consoleMessages.filter((m) => /violat|error|fail/i.test(m)), [], 'a clean boot');

  // What the host served to boot the page: its own static files, all found.
  const bootRequests = host.requests.map((r) => `${r.status} ${r.url}`);
  assert.ok(bootRequests.length >= 3 && bootRequests.length <= 5, bootRequests.join('\n'));
  for (const r of host.requests) {
    assert.equal(r.status, 200, `${r.url} was served`);
    assert.ok(r.url.startsWith(PREFIX), `${r.url} is under the sub-path`);
    assert.match(r.url, /\/(index\.html)?$|\.(js|wasm|css)$/, `${r.url} is a static file of the build`);
  }
  assert.ok(!host.requests.some((r) => r.url.includes('favicon')), 'no favicon request');
  const served = host.requests.length;

  // The page now tries every way a script has to send bytes out.
  const attempts = await page.evaluate(async ({ own, other }) => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    const outcomes = {};
    const settle = (p) => p.then(() => 'sent', (e) => `refused: ${e.name || e}`);
    for (const [name, origin] of [['own', own], ['other', other]]) {
      outcomes[`fetch ${name}`] = await settle(fetch(`${origin}/leak?fetch`));
      const img = new Image();
      outcomes[`image ${name}`] = await new Promise((r) => {
        img.onload = () => r('sent');
        img.onerror = () => r('refused');
        img.src = `${origin}/leak?img`;
      });
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = `${origin}/leak?css`;
      outcomes[`stylesheet ${name}`] = await new Promise((r) => {
        link.onload = () => r('sent');
        link.onerror = () => r('refused');
        document.head.appendChild(link);
      });
      outcomes[`font ${name}`] = await settle(new FontFace('leak', `url(${origin}/leak?font)`).load());
      try {
        outcomes[`beacon ${name}`] = navigator.sendBeacon(`${origin}/leak?beacon`, 'x') ? 'queued' : 'refused';
      } catch (e) {
        outcomes[`beacon ${name}`] = `refused: ${e.name}`;
      }
      outcomes[`websocket ${name}`] = await new Promise((r) => {
        try {
          const ws = new WebSocket(`${origin.replace('http', 'ws')}/leak?ws`);
          ws.onopen = () => r('sent');
          ws.onerror = () => r('refused');
        } catch (e) {
          r(`refused: ${e.name}`);
        }
      });
    }
    await new Promise((r) => setTimeout(r, 500));
    return { outcomes, violations: [...new Set(violations)].sort() };
  }, { own: host.origin, other: elsewhere.origin });

  await new Promise((r) => setTimeout(r, 1000));
  for (const [what, outcome] of Object.entries(attempts.outcomes)) {
    // sendBeacon answers "queued" before the policy is applied to it; for the
    // beacon only the servers' logs below can tell, and they do.
    if (what.startsWith('beacon')) continue;
    assert.ok(outcome.startsWith('refused'), `${what}: ${outcome}`);
  }
  for (const directive of ['connect-src', 'img-src', 'style-src-elem', 'font-src']) {
    assert.ok(attempts.violations.includes(directive), `a ${directive} violation was reported: ${attempts.violations}`);
  }
  assert.deepEqual(host.requests.slice(served).map((r) => r.url), [], 'the page host received nothing after boot');
  assert.deepEqual(elsewhere.requests.map((r) => r.url), [], 'no other server received anything');
  await page.close();
});
