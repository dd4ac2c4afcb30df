// Driving the console as a person would: type into the "Command" field,
// press Enter, read what the transcript (role=log) printed.

/** Opens the console at `url`, waits for it to render, returns helpers. */
export async function openConsole(browser, url) {
  const page = await browser.newPage({ acceptDownloads: true });
  const consoleMessages = [];
  page.on('console', (m) => consoleMessages.push(m.text()));
  page.on('pageerror', (e) => consoleMessages.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('[data-testid="self-test"]', { timeout: 30_000 });
  const command = page.getByLabel('Command', { exact: true });
  const log = page.getByRole('log');

  /** Runs one console line; resolves to the text of the entries it added to the transcript. */
  async function run(line) {
    const last = () => page.evaluate(() => Number(Array.from(document.querySelectorAll('.transcript .entry')).pop()?.dataset.entry ?? 0));
    const before = await last();
    await command.fill(line);
    await command.press('Enter');
    await page.waitForFunction(
      (prev) => Number(Array.from(document.querySelectorAll('.transcript .entry')).pop()?.dataset.entry ?? 0) > prev,
      before,
    );
    // Let the render settle, then take the new entries (echo and output).
    await page.waitForTimeout(50);
    return page.evaluate((prev) => Array.from(document.querySelectorAll('.transcript .entry'))
      .filter((e) => Number(e.dataset.entry) > prev)
      .map((e) => `${e.querySelector('.echo').textContent}${e.querySelector('.output').textContent}`)
      .join(''), before);
  }

  /** Runs a line that must create a key; resolves to its handle. */
  async function handleFrom(line) {
    const out = await run(line);
    const m = out.match(/Key Handle: (\d+)/);
    if (!m) throw new Error(`no handle from "${line}":\n${out}`);
    return Number(m[1]);
  }

  /** The KCV the console reports for a handle (six hex digits). */
  async function kcv(handle) {
    const out = await run(`getAttribute -o ${handle} -a 371`);
    const m = out.match(/OBJ_ATTR_KCV\s*0x([0-9a-f]{6})/i);
    if (!m) throw new Error(`no KCV for ${handle}:\n${out}`);
    return m[1].toLowerCase();
  }

  return { page, run, handleFrom, kcv, consoleMessages };
}
