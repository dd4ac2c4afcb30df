// Driving the wrap / unwrap workbench by its labels, as a person would.

/** Helpers over the workbench of a console page. */
export function workbench(page) {
  const wrapForm = page.getByRole('form', { name: 'Wrap', exact: true });
  const unwrapForm = page.getByRole('form', { name: 'Unwrap', exact: true });

  /** Chooses the wrapping key: a handle, or a pasted KEK in hex/base64. */
  async function kek({ handle, pasted }) {
    if (handle !== undefined) {
      await page.getByLabel('Wrapping key', { exact: true }).selectOption(`key-${handle}`);
    } else {
      await page.getByLabel('Wrapping key', { exact: true }).selectOption('paste');
      await page.getByLabel('KEK (hex or base64)').fill(pasted);
    }
  }

  /** Sets mechanism ('kw', 'kwp', 'kw-pkcs5') and, if given, the IV. */
  async function mechanism(name, iv) {
    await page.getByLabel('Mechanism', { exact: true }).selectOption(name);
    if (iv !== undefined) await page.getByLabel('IV (hex)').fill(iv);
  }

  /** Wraps a handle or pasted key bytes; resolves to the output text. */
  async function wrap({ handle, pasted }) {
    if (handle !== undefined) {
      await page.getByLabel('Key to wrap', { exact: true }).selectOption(`key-${handle}`);
    } else {
      await page.getByLabel('Key to wrap', { exact: true }).selectOption('paste');
      await page.getByLabel('Key bytes (hex or base64)').fill(pasted);
    }
    const output = page.getByTestId('wrap-output');
    // Every wrap has a new id, even when its bytes equal the last one's (with
    // both keys pasted the output is already recomputed before the click).
    const before = await page.evaluate(() => document.querySelector('[data-testid="wrap-output"]')?.dataset.wrapId ?? null);
    await wrapForm.getByRole('button', { name: 'Wrap', exact: true }).click();
    await page.waitForFunction(
      (prev) => {
        const el = document.querySelector('[data-testid="wrap-output"]');
        const failed = document.querySelector('.wrap-form .result.failed, .workbench [role="alert"]');
        return (el && el.value && el.dataset.wrapId !== prev) || failed;
      },
      before,
    );
    const failed = page.locator('.workbench [role="alert"]');
    if (await failed.count()) throw new Error(`wrap refused: ${await failed.first().textContent()}`);
    return (await output.inputValue()).trim();
  }

  /** Unwraps `wrapped` into this page (bytes) or a new key; resolves to the result panel's text. */
  async function unwrap(wrapped, { into = 'page', label } = {}) {
    await page.getByLabel('Wrapped key (hex or base64)').fill(wrapped);
    if (into === 'page') {
      await page.getByLabel('This page (show the bytes)').check();
    } else {
      await page.getByLabel('A new key in the HSM').check();
      if (label) await page.getByLabel('Label for the new key').fill(label);
    }
    await unwrapForm.getByRole('button', { name: 'Unwrap', exact: true }).click();
    const result = page.locator('[data-testid="unwrap-result"], .workbench [role="alert"]').first();
    await result.waitFor();
    return (await result.textContent()).replace(/\s+/g, ' ');
  }

  /** The unwrapped bytes shown in the page (hex), after an unwrap into the page. */
  async function unwrappedBytes() {
    return (await page.locator('#unwrap-output').inputValue()).trim().toLowerCase();
  }

  return { kek, mechanism, wrap, unwrap, unwrappedBytes };
}
