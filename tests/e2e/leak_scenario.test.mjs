// "How a sensitive key leaks, and how to stop it", run in the release page:
// the attack ends in a plain notice (which key, which path, what a real HSM
// does, what stops it) and a "Yes — via wrap-then-decrypt" cell; the
// defence's refusals follow and raise no notice; nothing is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleFixture } from './support/fixture.mjs';

const fixture = consoleFixture();

test('the leak scenario runs the attack, then the defence, from the who-can-see panel', () =>
  fixture.withConsole(async ({ page }) => {
    // Reachable from the who-can-see panel.
    await page.locator('section.access a[href="#leak-scenario"]').click();
    const next = page.getByTestId('scenario-next');
    const notices = page.getByTestId('separation-notice');
    for (let step = 0; step < 8; step += 1) {
      const entries = await page.locator('.transcript .entry').count();
      await next.click();
      await page.waitForFunction((n) => document.querySelectorAll('.transcript .entry').length > n, entries);
      if (step === 2) {
        await notices.first().waitFor();
        const text = await notices.first().textContent();
        assert.match(text, /via wrap-then-decrypt \(Clulow 2003\)/);
        assert.match(text, /Key 7 is sensitive, yet its plaintext/);
        assert.match(text, /What stops it:.*WRAP_WITH_TRUSTED/s);
        // The cell of key 7 follows.
        await page.getByRole('button', { name: 'Select key 7' }).first().click();
        const cell = page.locator('[data-testid="who-can-see"] td[data-actor="You (this tab)"][data-capability="Plaintext"]');
        assert.equal(await cell.getAttribute('data-answer'), 'Yes');
        assert.match(await page.locator('[data-testid="who-can-see"] tbody tr').first().textContent(), /Yes — via wrap-then-decrypt/);
      }
    }
    await page.getByTestId('scenario-done').waitFor();
    assert.equal(await notices.count(), 1, 'the defence leaks nothing');
    const transcript = await page.locator('.transcript').textContent();
    assert.match(transcript, /wrapping key 6 is not trusted/);
    assert.match(transcript, /does not have OBJ_ATTR_UNWRAP set/);
    assert.match(await page.getByTestId('logged-in').textContent(), /alice/);
  }));
