// A phone, 390 × 844: the page is exactly as wide as the screen, and the
// seed session and a workbench wrap can be done with taps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleFixture } from './support/fixture.mjs';

const fixture = consoleFixture();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function widths(page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
}

/** Whether the element lies within the viewport's width once scrolled to. */
async function reachable(locator) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  return box !== null && box.x >= 0 && box.x + box.width <= 390 + 0.5 && box.width > 0;
}

test('at 390 px the page is as wide as the screen and the seed session runs by tapping', async () => {
  const context = await fixture.browser.newContext(PHONE);
  await fixture.withConsole(async ({ page, run, handleFrom }) => {
    assert.deepEqual(await widths(page), { scroll: 390, viewport: 390 });
    for (const name of ['Run', 'Clear transcript']) {
      assert.ok(await reachable(page.getByRole('button', { name, exact: true })), `${name} on screen`);
    }
    assert.ok(await reachable(page.getByLabel('Command', { exact: true })));
    // The start strip's seed lines are buttons: tap the first two.
    await page.getByRole('button', { name: 'genSymKey -t 31 -s 32 -l kek' }).tap();
    await page.getByRole('button', { name: 'genSymKey -t 31 -s 32 -l payload' }).tap();
    await page.waitForFunction(() => document.querySelectorAll('table.key-table tbody tr:not(.empty)').length === 2);
    const wrapped = await run('wrapKey -k 7 -w 6 -out mykey.key -m 5');
    assert.match(wrapped, /Wrapped Key written to file "mykey\.key": length 40/);
    const unwrapped = await handleFrom('unWrapKey -f mykey.key -w 6');
    assert.equal(unwrapped, 8);
    // The steps are one tap away from the command that made them.
    await page.getByRole('button', { name: 'See the steps' }).tap();
    await page.waitForFunction(() => document.activeElement?.id === 'steps-slot');
    assert.deepEqual(await widths(page), { scroll: 390, viewport: 390 }, 'still no sideways scroll');
  }, { context });
  await context.close();
});

test('at 390 px every workbench control is on screen and a wrap works', async () => {
  const context = await fixture.browser.newContext(PHONE);
  await fixture.withConsole(async ({ page, wb }) => {
    for (const label of ['Wrapping key', 'Mechanism', 'IV (hex)', 'Key to wrap', 'Output format', 'File name', 'Wrapped key (hex or base64)']) {
      assert.ok(await reachable(page.getByLabel(label, { exact: true })), `${label} on screen`);
    }
    await wb.kek({ pasted: '000102030405060708090A0B0C0D0E0F' });
    await wb.mechanism('kw');
    const out = await wb.wrap({ pasted: '00112233445566778899AABBCCDDEEFF' });
    assert.equal(out, '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5');
    for (const name of ['Wrap', 'Unwrap', 'Copy wrapped key', 'Download', 'Use as unwrap input']) {
      assert.ok(await reachable(page.getByRole('button', { name, exact: true })), `${name} on screen`);
    }
    assert.deepEqual(await widths(page), { scroll: 390, viewport: 390 });
  }, { context });
  await context.close();
});
