// The step viewer in the release build: the README's first session with
// X-ray of the HSM switched on (before it, or after it as a replay) ends
// with a visible W⁻¹ trace; the W picture
// mid-animation (and still under prefers-reduced-motion); keyboard-only
// stepping; the byte map explains a range on focus.
//
// KEYWRAP_SCREENSHOTS=DIR also writes the step viewer at 1440 and 390 px,
// light and dark, into DIR (for looking at; nothing is compared).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { consoleFixture } from './support/fixture.mjs';

const { withConsole } = consoleFixture();

const SEED = [
  'genSymKey -t 31 -s 32 -l kek',
  'genSymKey -t 31 -s 32 -l payload',
  'wrapKey -k 7 -w 6 -out mykey.key -m 5',
  'unWrapKey -f mykey.key -w 6',
];

async function seed(run) {
  for (const line of SEED) assert.match(await run(line), /HSM Return: SUCCESS/, line);
}

const position = (page) => page.getByTestId('step-position').textContent();

test('the seed session with X-ray on ends with a visible W⁻¹ trace', () =>
  withConsole(async ({ page, run }) => {
    const xray = page.getByLabel('Show what happens inside the HSM', { exact: true });
    assert.equal(await xray.isChecked(), false, 'off by default');
    await xray.check();
    await seed(run);
    assert.match(await page.getByTestId('trace-title').textContent(), /unWrapKey/);
    assert.equal(await page.getByTestId('trace-withheld').count(), 0);
    const picture = page.getByTestId('w-diagram');
    await picture.scrollIntoViewIfNeeded();
    assert.ok(await picture.isVisible(), 'the W⁻¹ picture is on screen');
    assert.equal(await position(page), 'Step 0 of 24');
    await page.getByRole('button', { name: 'To the end' }).click();
    assert.equal(await page.getByTestId('wd-a-after').textContent(), 'A6A6A6A6A6A6A6A6');
    assert.match(await page.getByTestId('wd-check-iv').textContent(), /passed/);
    assert.ok(await page.getByTestId('xray-frame').isVisible());
  }));

test('the seed session pasted as four lines, then X-ray switched on, shows the withheld W⁻¹', () =>
  withConsole(async ({ page }) => {
    await page.evaluate((t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      const input = document.getElementById('command-input');
      input.focus();
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, `${SEED.join('\n')}\n`);
    await page.waitForFunction(() => document.querySelectorAll('.transcript .entry').length === 4);
    assert.match(await page.getByRole('log').textContent(), /Key Unwrapped\./);
    assert.ok(await page.getByTestId('trace-withheld').isVisible(), 'withheld with X-ray off');
    const entries = await page.locator('.transcript .entry').count();
    // The switch beside the step viewer, by keyboard: focus it and press Space.
    await page.getByLabel('Show what happens inside the HSM', { exact: true }).focus();
    await page.keyboard.press(' ');
    await page.waitForFunction(() => !document.querySelector('[data-testid="trace-withheld"]'));
    assert.match(await page.getByTestId('trace-title').textContent(), /unWrapKey.*inside the HSM \(X-ray\)/);
    const picture = page.getByTestId('w-diagram');
    await picture.scrollIntoViewIfNeeded();
    assert.ok(await picture.isVisible(), 'the replayed W⁻¹ picture is on screen');
    assert.equal(await position(page), 'Step 0 of 24');
    await page.getByRole('button', { name: 'To the end' }).click();
    assert.equal(await page.getByTestId('wd-a-after').textContent(), 'A6A6A6A6A6A6A6A6');
    assert.equal(await page.locator('.transcript .entry').count(), entries, 'the replay ran no command');
  }));

test('X-ray off: the seed session is withheld, and the notice offers the ways on', () =>
  withConsole(async ({ page, run }) => {
    await seed(run);
    assert.ok(await page.getByTestId('trace-withheld').isVisible());
    await page.getByRole('button', { name: 'Try the RFC 3394 vector' }).click();
    assert.equal(await position(page), 'Step 0 of 12');
    // The byte map explains a range on keyboard focus, not only on hover.
    const a = page.locator('[data-testid="map-output-map"] button[data-range="C[0] = A"]');
    const tip = page.locator(`#${await a.getAttribute('aria-describedby')}`);
    assert.equal(await tip.isVisible(), false, 'hidden at first');
    await a.focus();
    assert.ok(await tip.isVisible(), 'shown on focus');
    assert.match(await tip.textContent(), /integrity register A/);
    await page.keyboard.press('Tab');
    assert.equal(await tip.isVisible(), false, 'hidden when focus moves on');
    const c1 = page.locator('[data-testid="map-output-map"] button[data-range="C[1] = R[1]"]');
    await c1.hover();
    assert.ok(await page.locator(`#${await c1.getAttribute('aria-describedby')}`).isVisible(), 'and on hover');
  }));

test('the W picture mid-animation, by keyboard, and still under reduced motion', () =>
  withConsole(async ({ page, run }) => {
    await page.getByLabel('Show what happens inside the HSM', { exact: true }).check();
    await seed(run);
    // Keyboard only: focus the picture, step with the arrow keys.
    const box = page.getByTestId('w-diagram-box');
    await box.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await position(page), 'Step 2 of 24');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await position(page), 'Step 1 of 24');
    // Play: mid-animation, the arrows carry values (a running CSS animation).
    await page.keyboard.press(' ');
    await page.waitForFunction(() => /Step [3-9] of 24/.test(
      document.querySelector('[data-testid="step-position"]').textContent));
    const animation = () => page.evaluate(() =>
      getComputedStyle(document.querySelector('[data-testid="w-diagram"] .wd-flow')).animationName);
    assert.equal(await animation(), 'wd-flow');
    const t = await page.getByTestId('wd-t').textContent();
    assert.match(t, /^t = (1[5-9]|2[0-2])$/, `W⁻¹ counts t down from 24: ${t}`);
    await page.keyboard.press(' ');
    // prefers-reduced-motion: the same picture, no motion.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.keyboard.press('ArrowRight');
    assert.equal(await animation(), 'none');
    assert.notEqual(await page.getByTestId('wd-a-after').textContent(), '?');
    await page.emulateMedia({ reducedMotion: 'no-preference' });

    const dir = process.env.KEYWRAP_SCREENSHOTS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const width of [1440, 390]) {
          await page.setViewportSize({ width, height: 1000 });
          const panel = page.locator('.steps-panel');
          await panel.scrollIntoViewIfNeeded();
          await panel.screenshot({ path: join(dir, `steps-${width}-${scheme}.png`) });
        }
      }
    }
  }));
