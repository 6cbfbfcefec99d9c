import { accessSync, constants } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';
import { RunningBroker } from '../../src/bootstrap';
import { devToken, startTestBroker } from '../support/broker';

/** Debian's chromium (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function assertChromiumInstalled(): void {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(
      `The Swagger UI browser test needs chromium at ${CHROMIUM}, which is missing or not executable. ` +
        'Install it with `apt-get install -y chromium` (.ci/run does this), or set CHROMIUM_PATH.',
    );
  }
}

/** The way a person explores the API: the real Swagger UI in a real browser against a running broker. */
describe('Swagger UI in a browser (embedded)', () => {
  let broker: RunningBroker;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Fails (never skips) without a browser: the check runs before anything is started.
    assertChromiumInstalled();
    broker = await startTestBroker({ backend: 'embedded' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await broker?.close();
  });

  it('serves the OpenAPI document at /swagger/json', async () => {
    const res = await fetch(`${broker.url}/swagger/json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: unknown }> }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('kyma-broker-ts');
    const catalog = doc.paths['/oauth/v2/catalog'].get;
    expect(catalog.parameters).toContainEqual(
      expect.objectContaining({
        name: 'X-Broker-API-Version',
        in: 'header',
        schema: expect.objectContaining({ default: '2.17' }),
      }),
    );
    // /oauth/v2 has no {region}; /oauth/{region}/v2 documents it as a required path parameter with examples.
    expect(catalog.parameters?.some((p) => p.in === 'path')).toBe(false);
    expect(doc.paths['/oauth/{region}/v2/catalog'].get.parameters).toContainEqual(
      expect.objectContaining({
        name: 'region',
        in: 'path',
        required: true,
        examples: expect.objectContaining({ 'cf-eu11': expect.anything() }),
      }),
    );
  });

  it('authorizes with a dev-issuer token and runs "Try it out" on GET /oauth/v2/catalog → 200', async () => {
    const token = await devToken(broker.url);
    await page.goto(`${broker.url}/swagger`);
    const title = page.locator('.swagger-ui .info .title');
    await title.waitFor({ timeout: 30000 });
    expect(await title.innerText()).toContain('kyma-broker-ts');

    // Authorize: the bearer scheme's dialog.
    await page.locator('.scheme-container button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.waitFor();
    const bearer = dialog.locator('.auth-container').filter({ has: page.locator('h4', { hasText: /^bearer/ }) });
    await bearer.locator('input[aria-label="auth-bearer-value"]').fill(token);
    await bearer.getByRole('button', { name: 'Apply credentials' }).click();
    await bearer.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await dialog.locator('button.btn-done').first().click();
    await dialog.waitFor({ state: 'detached' });

    // Open the operation, Try it out: the version header is there already.
    const operation = page
      .locator('.opblock.opblock-get')
      .filter({ has: page.locator('.opblock-summary-path[data-path="/oauth/v2/catalog"]') });
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('button.try-out__btn').click();
    const version = operation.locator('tr[data-param-name="X-Broker-API-Version"] input');
    expect(await version.inputValue()).toBe('2.17');

    await operation.locator('button.execute').click();
    const response = operation.locator('.live-responses-table .response').first();
    await response.waitFor({ timeout: 30000 });
    expect((await response.locator('.response-col_status').innerText()).trim()).toBe('200');
    expect(await response.locator('.response-col_description').innerText()).toContain('kymaruntime');
    // The request Swagger UI shows is the one a person would copy: bearer token and version header.
    const curl = await operation.locator('.curl-command').innerText();
    expect(curl).toContain(`Authorization: Bearer ${token}`);
    expect(curl).toContain('X-Broker-API-Version: 2.17');
  });

  it('shows the broker refusing the same call without authorization (401 in the panel)', async () => {
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${broker.url}/swagger`);
      const operation = fresh
        .locator('.opblock.opblock-get')
        .filter({ has: fresh.locator('.opblock-summary-path[data-path="/oauth/v2/catalog"]') });
      await operation.locator('.opblock-summary').first().click();
      await operation.locator('button.try-out__btn').click();
      await operation.locator('button.execute').click();
      const response = operation.locator('.live-responses-table .response').first();
      await response.waitFor({ timeout: 30000 });
      expect((await response.locator('.response-col_status').innerText()).trim()).toBe('401');
    } finally {
      await fresh.close();
    }
  });
});
