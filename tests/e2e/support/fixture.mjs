// The fixture every flow test shares: the release build served under a
// sub-path by a recording static server, one headless Chromium, and a fresh
// console page per test that must send nothing after it has booted.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, DIST } from './browser.mjs';
import { openConsole } from './console.mjs';
import { workbench } from './workbench.mjs';

/** Registers the suite's before/after hooks; returns the fixture. */
export function consoleFixture(prefix = '/tools/keywrap/') {
  const fixture = { host: null, browser: null };
  before(async () => {
    fixture.host = await startServer({ root: DIST, prefix });
    fixture.browser = await launch();
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.host?.close();
  });

  /**
   * Runs `body` on a fresh console (the helpers of openConsole plus `wb`, the
   * workbench). Afterwards the host must have received nothing since boot and
   * the page's own request count must still read 0.
   */
  fixture.withConsole = async (body, { context } = {}) => {
    const c = await openConsole(context ?? fixture.browser, fixture.host.base);
    const served = fixture.host.requests.length;
    try {
      await body({ ...c, wb: workbench(c.page) });
      assert.equal((await c.page.getByTestId('network-count').textContent()).trim(), '0');
    } finally {
      await c.page.close();
    }
    assert.deepEqual(fixture.host.requests.slice(served).map((r) => r.url), [], 'no request after boot');
  };
  return fixture;
}
