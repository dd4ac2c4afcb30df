// The console from the keyboard alone: the seed session typed with Tab
// completion, the same four lines pasted at once, a workbench wrap reached
// with Tab; and what one keystroke costs with 1,000 keys in the HSM (a
// figure printed, never a pass or fail on time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleFixture } from './support/fixture.mjs';

const fixture = consoleFixture();
const SEED = [
  'genSymKey -t 31 -s 32 -l kek',
  'genSymKey -t 31 -s 32 -l payload',
  'wrapKey -k 7 -w 6 -out mykey.key -m 5',
  'unWrapKey -f mykey.key -w 6',
];

const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? '');
const commandValue = (page) => page.getByLabel('Command', { exact: true }).inputValue();

/** Presses Tab until the element with `id` has focus (at most `limit` times). */
async function tabTo(page, id, limit = 80) {
  for (let i = 0; i < limit; i += 1) {
    if ((await focusedId(page)) === id) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached #${id}`);
}

/** Pastes `text` into the Command field as a browser paste event would. */
async function paste(page, text) {
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    const input = document.getElementById('command-input');
    input.focus();
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

test('the seed session typed from the keyboard alone, with Tab completing commands and values', () =>
  fixture.withConsole(async ({ page }) => {
    assert.equal(await focusedId(page), 'command-input', 'the Command field has focus on load');
    await page.keyboard.type('genS');
    await page.keyboard.press('Tab');
    assert.equal(await commandValue(page), 'genSymKey ');
    await page.keyboard.type('-t 3');
    await page.keyboard.press('Tab');
    assert.equal(await commandValue(page), 'genSymKey -t 31 ');
    await page.keyboard.type('-s 32 -l kek');
    await page.keyboard.press('Enter');
    for (const line of SEED.slice(1)) {
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
    }
    const log = page.getByRole('log');
    await page.waitForFunction(() => document.querySelector('[role="log"]').textContent.includes('Key Unwrapped.'));
    assert.match(await log.textContent(), /Key Unwrapped\.\s+Key Handle: 8/);
    // An empty Enter adds no entry.
    const entries = await page.locator('.transcript .entry').count();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.transcript .entry').count(), entries);
    // Tab on a finished line moves focus on, as everywhere else.
    await page.keyboard.type('findKey ');
    await page.keyboard.press('Tab');
    assert.notEqual(await focusedId(page), 'command-input');
  }));

test('the seed session pasted as four lines runs line by line, each echoed', () =>
  fixture.withConsole(async ({ page }) => {
    await paste(page, `${SEED.join('\n')}\n`);
    await page.waitForFunction(() => document.querySelectorAll('.transcript .entry').length === 4);
    const echoes = await page.locator('.transcript .echo').allTextContents();
    assert.deepEqual(echoes.map((e) => e.replace(/^[✔✖]\s*/, '').replace(/\s+/g, ' ').trim()), SEED.map((l) => `Pasted: ${l}`));
    assert.match(await page.getByRole('log').textContent(), /Key Unwrapped\./);
    // A 100 MB paste is refused with the limit said, runs nothing, and the
    // page lives on (the text is built inside the page, not sent to it).
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', 'findKey\n'.repeat(12_500_000));
      const input = document.getElementById('command-input');
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    const refusal = await page.getByTestId('paste-error').textContent();
    assert.match(refusal, /100000000 characters; the Command field takes at most 65536/);
    assert.equal(await page.locator('.transcript .entry').count(), 4);
    assert.equal(await page.getByLabel('Command', { exact: true }).getAttribute('maxlength'), '8192');
    assert.match(await page.locator('#prompt-hint').textContent(), /at most 8192 characters, a paste 65536/);
  }));

test('a workbench wrap from the keyboard alone', () =>
  fixture.withConsole(async ({ page }) => {
    await tabTo(page, 'wb-kek');
    await page.keyboard.press('p'); // "Paste a KEK (hex or base64)…"
    await page.waitForSelector('#wb-pasted-kek');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'wb-pasted-kek');
    await page.keyboard.type('000102030405060708090A0B0C0D0E0F');
    await tabTo(page, 'wb-target');
    await page.keyboard.press('p'); // "Paste key bytes (hex or base64)…"
    await page.waitForSelector('#wb-pasted-key');
    await page.keyboard.press('Tab');
    await page.keyboard.type('00112233445566778899AABBCCDDEEFF');
    // Recomputed as typed; Enter in the form's button wraps once more.
    await page.waitForSelector('[data-testid="wrap-output"]');
    assert.equal(await page.getByTestId('wrap-output').inputValue(), '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5');
    const live = await page.getByTestId('wrap-output').getAttribute('data-wrap-id');
    const wrapButton = page.getByRole('form', { name: 'Wrap', exact: true }).getByRole('button', { name: 'Wrap', exact: true });
    await wrapButton.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((prev) => document.querySelector('[data-testid="wrap-output"]').dataset.wrapId !== prev, live);
    assert.match(await page.getByTestId('status').textContent(), /Key wrapped: 24 bytes/);
    // The steps are a keystroke away.
    await page.getByRole('button', { name: 'See the steps' }).first().focus();
    await page.keyboard.press('Enter');
    assert.equal(await focusedId(page), 'steps-slot');
  }));

test('one keystroke in the Command field with 1,000 keys in the HSM (figure printed)', () =>
  fixture.withConsole(async ({ page }) => {
    const lines = Array.from({ length: 1000 }, (_, i) => `genSymKey -t 31 -s 16 -l k${i}`);
    await paste(page, lines.join('\n'));
    await page.waitForFunction(() => document.querySelectorAll('table.key-table tbody tr').length === 1000, null, { timeout: 120_000 });
    const ms = await page.evaluate(async () => {
      const input = document.getElementById('command-input');
      const macrotask = () => new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
      });
      const times = [];
      for (let i = 0; i < 30; i += 1) {
        const t0 = performance.now();
        input.value = `findKey -l k${i}`;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'x' }));
        await macrotask(); // Yew renders in a microtask; this waits until it has.
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      // The render has happened by then: Tab's completion shows in the field.
      input.value = 'genS';
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      await macrotask();
      const t0 = performance.now();
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }));
      await macrotask();
      const tab = performance.now() - t0;
      return { median: times[15], max: times[29], tab, completed: input.value };
    });
    assert.equal(ms.completed, 'genSymKey ', 'the render finished within the measured time');
    console.log(`keystroke with 1000 keys in the HSM: median ${ms.median.toFixed(1)} ms, max ${ms.max.toFixed(1)} ms (30 input events, render included); Tab completion ${ms.tab.toFixed(1)} ms`);
  }));

test('closing or reloading the tab asks first while keys or files exist, and not before', () =>
  fixture.withConsole(async ({ page, handleFrom }) => {
    // The browser asks when a beforeunload handler cancels the event; the
    // event is dispatched here as the browser would before unloading.
    const unload = () => page.evaluate(() => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    });
    assert.equal(await unload(), false, 'nothing to lose: no question');
    await handleFrom('genSymKey -t 31 -s 32 -l kek');
    assert.equal(await unload(), true, 'a key would be lost: the browser asks');
    await page.getByLabel('Command', { exact: true }).fill('deleteKey -k 6');
    await page.getByLabel('Command', { exact: true }).press('Enter');
    await page.waitForFunction(() => document.querySelector('table.key-table').textContent.includes('No keys yet'));
    assert.equal(await unload(), false, 'the last key deleted: no question');
  }));
