// The import panel with a key in the virtual HSM as material, in the built
// page: the package of the seed's payload key (made in the core, never
// shown), its byte map (RSA part ‖ KWP part), a refusal for a key that may
// not leave the HSM, and 0 axe violations with the package on screen, in
// light and dark at 1440 and 390 px. KEYWRAP_SCREENSHOTS=DIR also saves
// the panel at both widths. The host receives nothing after boot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleFixture } from './support/fixture.mjs';
import { axeViolations, report } from './support/a11y.mjs';

const fixture = consoleFixture();
const here = dirname(fileURLToPath(import.meta.url));
const PUBLIC_3072 = join(here, '../../crate/tests/vectors/byok/rsa3072-public.pem');

for (const colorScheme of ['light', 'dark']) {
  for (const width of [1440, 390]) {
    test(`an HSM key packaged for import, with its byte map, ${colorScheme}, ${width} px`, async () => {
      const context = await fixture.browser.newContext({ viewport: { width, height: width > 800 ? 900 : 844 }, colorScheme });
      await fixture.withConsole(async ({ page, run }) => {
        await run('genSymKey -t 31 -s 32 -l kek');
        await run('genSymKey -t 31 -s 32 -l payload');
        await run('genSymKey -t 31 -s 32 -l locked -nex');
        const panel = page.getByRole('form', { name: 'Prepare a key for import' });
        await panel.getByLabel("Provider's public wrapping key").fill(await readFile(PUBLIC_3072, 'utf8'));
        await panel.getByLabel('Key material', { exact: true }).selectOption('hsm-7');
        await panel.getByRole('button', { name: 'Prepare the package' }).click();
        const result = page.getByTestId('byok-result');
        await result.waitFor();
        assert.match(await result.textContent(), /EncryptedKeyMaterial\.bin \(424 bytes\)/);
        const map = page.getByTestId('byok-package-map');
        const ranges = await map.locator('.byte-range').evaluateAll((els) => els.map((e) => e.dataset.range));
        assert.deepEqual(ranges.slice(0, 2), ['RSA part: RSA-OAEP(K)', 'KWP C[0] = A']);
        assert.equal(ranges.length, 6);
        // A generated key is sensitive: its KWP steps are withheld.
        await page.getByTestId('byok-kwp-withheld').waitFor();
        await map.locator('.byte-range').first().focus();
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `package on screen:\n${report(violations)}`);
        const dir = process.env.KEYWRAP_SCREENSHOTS;
        if (dir) {
          await page.locator('section.byok').screenshot({ path: join(dir, `byok-hsm-${width}-${colorScheme}.png`) });
        }
        await panel.getByLabel('Key material', { exact: true }).selectOption('hsm-8');
        await panel.getByRole('button', { name: 'Prepare the package' }).click();
        const error = page.getByTestId('byok-error');
        await error.waitFor();
        assert.match(await error.textContent(), /Key 8 cannot be packaged: key 8 is not extractable/);
        const refused = await axeViolations(page);
        assert.equal(refused.length, 0, `refusal on screen:\n${report(refused)}`);
      }, { context });
      await context.close();
    });
  }
}
