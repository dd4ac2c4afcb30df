// Debian's Chromium, driven by playwright-core. Nothing here downloads a
// browser: the executable is the one scripts/setup.sh installed.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = process.env.KEYWRAP_CHROMIUM ?? '/usr/bin/chromium';

// What Chromium needs on this kind of machine, running as root with no network.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches headless Chromium with a fresh, temporary profile. */
export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/setup.sh`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** The release build the tests drive (scripts/test.sh builds it first). */
export const DIST = process.env.KEYWRAP_DIST ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../dist');

/** Waits until the console has rendered and its self-test has run. */
export async function waitForConsole(page) {
  await page.waitForSelector('[data-testid="self-test"]', { timeout: 30_000 });
}
