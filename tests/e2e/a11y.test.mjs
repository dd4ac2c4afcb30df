// An accessibility audit by axe-core (WCAG 2.2 A/AA and best practice),
// run inside the release page: at first load, after the seed session, with
// the who-can-see panel in both tenancy modes, in light and dark, at 1440
// and 390 px wide. Every state must show 0 violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleFixture } from './support/fixture.mjs';
import { axeViolations, report } from './support/a11y.mjs';

const fixture = consoleFixture();
const SEED = [
  'genSymKey -t 31 -s 32 -l kek',
  'genSymKey -t 31 -s 32 -l payload',
  'wrapKey -k 7 -w 6 -out mykey.key -m 5',
  'unWrapKey -f mykey.key -w 6',
];

async function audit(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${report(violations)}`);
}

for (const colorScheme of ['light', 'dark']) {
  for (const width of [1440, 390]) {
    test(`0 axe violations, ${colorScheme}, ${width} px: first load, seed session, both tenancy modes, a workbench wrap`, async () => {
      const context = await fixture.browser.newContext({ viewport: { width, height: width > 800 ? 900 : 844 }, colorScheme });
      await fixture.withConsole(async ({ page, run, wb }) => {
        await audit(page, 'first load');
        for (const line of SEED) await run(line);
        await audit(page, 'after the seed session');
        await page.locator('#tenancy-shared').check();
        await page.getByTestId('who-can-see').and(page.locator('[data-mode="tenancy-shared"]')).waitFor();
        await audit(page, 'who-can-see, shared mode');
        await page.locator('#tenancy-dedicated').check();
        await page.getByTestId('who-can-see').and(page.locator('[data-mode="tenancy-dedicated"]')).waitFor();
        await page.locator('details.fips-badge summary').click();
        await audit(page, 'who-can-see, dedicated mode, FIPS details open');
        await page.getByLabel('View as').selectOption('blob');
        await audit(page, 'View as someone holding the blob');
        await page.getByLabel('View as').selectOption('you');
        await wb.kek({ pasted: '000102030405060708090A0B0C0D0E0F' });
        await wb.mechanism('kw');
        await wb.wrap({ pasted: '00112233445566778899AABBCCDDEEFF' });
        await page.getByRole('button', { name: 'Step ▶' }).click();
        await audit(page, 'after a workbench wrap, one step into the trace');
        // The leak scenario's attack: its notice and the scenario's steps.
        for (let step = 0; step < 3; step += 1) await page.getByTestId('scenario-next').click();
        await page.getByTestId('separation-notice').first().waitFor();
        await audit(page, 'the leak scenario, a key-separation notice shown');
      }, { context });
      await context.close();
    });
  }
}
