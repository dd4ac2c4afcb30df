// "Wrap all selected keys" from the keyboard alone, in the release page:
// keys made by typing, ticked with Space (one by one and through the box
// for every key the filter shows), the wrapping key and mechanism chosen
// with the arrow keys, the wrap started with Enter. The files appear in the
// files panel, the terminal echoes the console's extension command, and the
// downloaded file holds the same bytes as one wrapKey of that key. At 390 px
// the panel fits without sideways scroll. KEYWRAP_SCREENSHOTS=DIR also saves
// the key panel at 1440 and 390 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { consoleFixture } from './support/fixture.mjs';

const fixture = consoleFixture();

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el?.getAttribute('aria-label') || el?.id || el?.textContent?.trim() || '';
});

/** Presses Tab until the focused element's name (aria-label, id or text) is `name`. */
async function tabTo(page, name, limit = 400) {
  for (let i = 0; i < limit; i += 1) {
    if ((await focused(page)) === name) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${name}`);
}

test('selected keys wrapped in one action, from the keyboard alone', () =>
  fixture.withConsole(async ({ page }) => {
    for (const line of [
      'genSymKey -t 31 -s 32 -l kek',
      'genSymKey -t 31 -s 16 -l payload',
      'genSymKey -t 31 -s 24 -l payload',
      'genSymKey -t 31 -s 32 -l other',
    ]) {
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
    }
    await page.waitForFunction(() => document.querySelectorAll('.transcript .entry').length === 4);

    // Filter to the payloads, then tick every key the filter shows.
    await tabTo(page, 'key-filter');
    await page.keyboard.type('payload');
    await tabTo(page, 'Select every key the filter shows, to wrap');
    await page.keyboard.press(' ');
    assert.ok(await page.getByLabel('Select key 7 to wrap').isChecked());
    assert.ok(await page.getByLabel('Select key 8 to wrap').isChecked());
    // Clear the filter: key 9 (other) is there, unticked.
    await tabTo(page, 'key-filter');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    assert.equal(await page.getByLabel('Select key 9 to wrap').isChecked(), false);

    // The wrapping key and the mechanism, with the arrow keys.
    await tabTo(page, 'bulk-wrapping');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#bulk-wrapping').inputValue(), '6');
    await tabTo(page, 'bulk-mechanism');
    assert.equal(await page.locator('#bulk-mechanism').inputValue(), '6', 'KWP first');
    await tabTo(page, 'bulk-prefix');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('bk-');
    await page.keyboard.press('Enter');

    await page.waitForFunction(() => document.querySelector('.files-table')?.textContent.includes('bk-8.key'));
    const files = await page.locator('.files-table').textContent();
    assert.match(files, /bk-7\.key/);
    assert.doesNotMatch(files, /bk-9\.key/);
    const log = await page.getByRole('log').textContent();
    assert.match(log, /extWrapAll -w 6 -m 6 -k 7,8 -out bk-/);
    assert.match(log, /2 keys wrapped under key 6 in one batch \(Keywrap Console extension\)/);
    assert.match(await page.getByTestId('status').textContent(), /Wrapped 2 keys under key 6/);

    // The same bytes as one wrapKey of key 8, downloaded from the files panel.
    const download = async (name) => {
      const [d] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: `Download file ${name}` }).click(),
      ]);
      const chunks = [];
      for await (const chunk of await d.createReadStream()) chunks.push(chunk);
      return Buffer.concat(chunks);
    };
    await page.getByLabel('Command', { exact: true }).fill('wrapKey -k 8 -w 6 -out one.key -m 6');
    await page.getByLabel('Command', { exact: true }).press('Enter');
    await page.waitForFunction(() => document.querySelector('.files-table')?.textContent.includes('one.key'));
    assert.deepEqual(await download('bk-8.key'), await download('one.key'));

    await shoot(page, 1440);
  }));

/** Saves the key panel as bulk-<width>.png when KEYWRAP_SCREENSHOTS is set. */
async function shoot(page, width) {
  const dir = process.env.KEYWRAP_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.setViewportSize({ width, height: 1000 });
  const panel = page.locator('section.keys');
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: join(dir, `bulk-${width}.png`) });
}

test('at 390 px the form fits the screen and wraps by tapping', async () => {
  const context = await fixture.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await fixture.withConsole(async ({ page, run }) => {
    await run('genSymKey -t 31 -s 32 -l kek');
    await run('genSymKey -t 31 -s 16 -l payload');
    await run('genSymKey -t 31 -s 32 -l payload');
    await page.getByLabel('Select every key the filter shows, to wrap').tap();
    await page.getByLabel('Select key 6 to wrap').tap();
    await page.getByLabel('Wrap them under key').selectOption('6');
    const wrap = page.getByRole('button', { name: 'Wrap 2 selected keys' });
    await wrap.scrollIntoViewIfNeeded();
    const box = await wrap.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390.5, 'the button is on screen');
    const widths = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    assert.deepEqual(await widths(), { scroll: 390, viewport: 390 });
    await page.getByLabel('Select key 7 to wrap').tap();
    await page.getByLabel('Select key 7 to wrap').tap();
    await shoot(page, 390);
    await wrap.tap();
    await page.waitForFunction(() => document.querySelector('.files-table')?.textContent.includes('wrapped-8.key'));
    assert.deepEqual(await widths(), { scroll: 390, viewport: 390 }, 'still no sideways scroll');
  }, { context });
  await context.close();
});

test('a refusal names the key and writes nothing', () =>
  fixture.withConsole(async ({ page, run }) => {
    await run('genSymKey -t 31 -s 32 -l kek');
    await run('genSymKey -t 31 -s 16 -l locked -nex');
    await page.getByLabel('Select key 7 to wrap').check();
    await page.getByLabel('Wrap them under key').selectOption('6');
    await page.getByRole('button', { name: 'Wrap 1 selected key' }).click();
    const error = page.getByTestId('bulk-error');
    await error.waitFor();
    assert.match(await error.textContent(), /key 7 stopped the wrap, so no file was written: key 7 is not extractable/);
    assert.doesNotMatch(await page.locator('.files-table').textContent(), /wrapped-7\.key/, 'no file');
  }));
