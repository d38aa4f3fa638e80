/** Helpers for the console's browser tests (test/console.e2e.test.ts). */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** axe-core's critical and serious violations on the page as it is now, one line each (none: []). */
export async function accessibilityProblems(p: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page: p }).analyze();
  return violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Whom RapiDoc's "Try" acts as: the subject of the token it would send, or "nobody". */
export async function docsTryUser(p: Page): Promise<string> {
  const value = await p.evaluate<string | undefined>(`(() => {
    const doc = document.querySelector('rapi-doc');
    const scheme = doc?.resolvedSpec?.securitySchemes?.find(
      (s) => s.securitySchemeId === '_rapidoc_api_key' || s.apiKeyId === '_rapidoc_api_key',
    );
    return doc?.resolvedSpec ? (scheme?.finalKeyValue ?? '') : undefined;
  })()`);
  if (value === undefined) return 'not loaded';
  const payload = value.replace(/^Bearer /, '').split('.')[1];
  if (!payload) return 'nobody';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub;
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitForAttribute(locator: ReturnType<Page['locator']>, name: string, timeout = 15_000) {
  let value: string | null = null;
  await waitFor(
    async () => {
      value = await locator.getAttribute(name, { timeout });
      return !!value;
    },
    `attribute ${name}`,
    timeout,
  );
  return value as unknown as string;
}
