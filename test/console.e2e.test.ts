/**
 * The local console (src/local/console) in a real Chromium, driven by playwright-core,
 * against the stack `npm start` runs: the todo app through the HTTP API, a list's history
 * and time travel, projection status, verify, dead letters and redrive, the API documents.
 * Screenshots go to CONSOLE_SCREENSHOTS (default: a new temp folder, printed).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbDeadLetters, dynamoDbFromEnv } from '../src';
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './support/chromium';
import { docsTryUser, waitFor, waitForAttribute } from './support/consolePage';
import { startLocalStack, type LocalStack } from './support/localStack';
import { readStreamRecords } from './support/streamHarness';

const screenshots = process.env.CONSOLE_SCREENSHOTS ?? mkdtempSync(path.join(tmpdir(), 'console-screenshots-'));
mkdirSync(screenshots, { recursive: true });

let stack: LocalStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Requests the pages made to anything but the console: there must be none. */
const outside: string[] = [];

beforeAll(async () => {
  const executablePath = findChromium();
  [stack, browser] = await Promise.all([startLocalStack(), chromium.launch({ executablePath, args: CHROMIUM_ARGS })]);
  console.log(`console screenshots in ${screenshots}`);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

const newPage = async (viewport = { width: 1280, height: 860 }) => {
  context = await browser.newContext({ viewport });
  const p = await context.newPage();
  p.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:', 'about:'].includes(url.protocol) && url.origin !== new URL(stack.consoleUrl).origin)
      outside.push(request.url());
  });
  return p;
};

const signIn = async (p: Page, user: string) => {
  // After a reload the page puts the signed-in user's name into the field once it has loaded: a name
  // typed before that is overwritten. Type it until it stays.
  const field = p.getByLabel('User', { exact: true });
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await field.fill(user);
    await p.waitForTimeout(150);
    if ((await field.inputValue()) === user) break;
  }
  await p.getByRole('button', { name: /Sign in|Switch user/ }).click();
  await p.getByTestId('current-user').filter({ hasText: user }).waitFor();
};

const shot = (p: Page, name: string) => p.screenshot({ path: path.join(screenshots, name), fullPage: true });

describe('the local console', () => {
  let listUrl: string;

  beforeAll(async () => {
    page = await newPage();
    await page.goto(stack.consoleUrl);
  });

  it("signs in, creates a list, adds and completes a todo: each answer's version, and the view read at it", async () => {
    await signIn(page, 'alice');
    await page.getByLabel('New list').fill('Groceries');
    await page.getByRole('button', { name: 'Create list' }).click();
    const view = page.getByTestId('list-view');
    await view.getByRole('heading', { name: 'Groceries' }).waitFor();
    await expectText(view.getByTestId('list-version'), '1');

    await page.getByLabel('New todo').fill('Milk');
    await page.getByRole('button', { name: 'Add todo' }).click();
    await expectText(view.getByTestId('list-version'), '2');
    await page.getByLabel('New todo').fill('Bread');
    await page.getByRole('button', { name: 'Add todo' }).click();
    await expectText(view.getByTestId('list-version'), '3');

    await view.getByRole('checkbox', { name: 'Milk' }).check();
    await expectText(view.getByTestId('list-version'), '4');
    expect(await view.getByRole('checkbox', { name: 'Milk' }).isChecked()).toBe(true);
    // The command log shows the last answer and its version; the lists panel agrees with the view.
    await expectText(
      page.getByTestId('command-log').locator('li').first(),
      /POST \/lists\/.+\/complete → 200 · version 4/,
    );
    await expectText(page.getByTestId('lists'), /Groceries\s*1 open · 1 done · v4/);
    listUrl = page.url();
    await shot(page, 'console-app.png');
  });

  it('shows an error with its code and message', async () => {
    await page.getByLabel('List title').fill('   ');
    await page.getByRole('button', { name: 'Rename list' }).click();
    await expectText(
      page.getByTestId('command-log').locator('li').first(),
      /PATCH \/lists\/.+ → 400 · VALIDATION_FAILED|→ 400 · [A-Z_]+ /,
    );
  });

  it('shows a validation error next to its form, with its details', async () => {
    await page.getByLabel('List title').fill('   ');
    await page.getByRole('button', { name: 'Rename list' }).click();
    // The field names the error that describes it: code, message and each detail's path.
    const field = page.getByLabel('List title');
    const describedBy = await waitForAttribute(field, 'aria-describedby');
    const error = page.locator(`[id="${describedBy}"]`);
    await expectText(error, /VALIDATION_ERROR.*not valid.*title/s);
    expect(await error.getAttribute('role')).toBe('alert');
    // A valid rename clears it.
    await field.fill('Groceries');
    await page.getByRole('button', { name: 'Rename list' }).click();
    await error.waitFor({ state: 'detached' });
  });

  it('shows the history, commit by commit, and travels back with the slider', async () => {
    await page.getByRole('link', { name: 'History and time travel' }).click();
    const commits = page.getByTestId('commits').locator(':scope > li');
    await waitForCount(commits, 4);
    await expectText(commits.nth(0), /v1.*by alice.*correlation.*ListCreated/s);
    await expectText(commits.nth(3), /v4.*TodoCompleted/s);
    await expectText(page.getByTestId('tt-version'), '4');

    const slider = page.getByLabel(/Version/);
    await slider.focus();
    await page.keyboard.press('Home');
    await expectText(page.getByTestId('tt-version'), '1');
    await expectText(page.getByTestId('tt-past'), /As of version 1.*Groceries.*No todos/s);
    await page.keyboard.press('ArrowRight');
    await expectText(page.getByTestId('tt-past'), /As of version 2.*☐ Milk/s);
    await page.keyboard.press('ArrowRight');
    await expectText(page.getByTestId('tt-past'), /As of version 3.*☐ Milk.*Bread/s);
    await expectText(page.getByTestId('tt-current'), /Now \(version 4\).*☑ Milk/s);
    await shot(page, 'console-history.png');
  });

  it('shows the tags panel, the API having tags', async () => {
    await page.goto(listUrl);
    await expectText(page.getByTestId('tags'), 'No tags yet.');
  });

  it('another user sees nothing of the first', async () => {
    await page.goto(stack.consoleUrl);
    await signIn(page, 'bob');
    await expectText(page.getByText('No lists yet.'), 'No lists yet.');
    await page.goto(listUrl);
    await expectText(page.getByTestId('list-view'), /404 LIST_NOT_FOUND/);
    await expectText(page.getByTestId('list-view'), /Not your list: bob has no list/);
    await signIn(page, 'alice');
  });

  it('shows how far each view is behind, and verify finds no differences', async () => {
    await page.goto(`${stack.consoleUrl}#/projections`);
    const status = page.getByTestId('projection-status');
    await expectText(status, /lists \(listsView\)\s*0 of 1\s*up to date/);
    await expectText(status, /stats \(statsView\)\s*0 of 1\s*up to date/);
    await page.getByRole('button', { name: 'Verify every view' }).click();
    await expectText(page.getByTestId('verify-result'), /No differences\..*lists: 1 stream, 0 differences\n/s);
    // Nothing is behind: nothing says it is catching up.
    expect(await page.getByTestId('verify-result').textContent()).not.toContain('catching up');
    await shot(page, 'console-projections.png');
  });

  it('lists dead letters with their error, and redrive applies the ones the projection now takes', async () => {
    // A commit no projection can read reaches the running stack's stream: every view files it
    // in the dead-letter table (by stream and version) while the stream runner retries it.
    const client = new DynamoDBClient({
      endpoint: stack.dynamoDbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const poison = { streamId: { S: 'poison-stream' }, version: { N: '1' } };
    await client.send(
      new PutItemCommand({
        TableName: 'todo-cqrs-local-events',
        Item: {
          ...poison,
          streamType: { S: 'todoList' },
          commandId: { S: 'c' },
          at: { S: new Date().toISOString() },
          events: { S: '{not json' },
        },
      }),
    );
    // And alice's list, filed by hand as if its projection had failed once and been fixed since.
    const [record] = await readStreamRecords(client, stack.dynamoDbEndpoint, 'todo-cqrs-local-events');
    const { documentClient } = dynamoDbFromEnv({ DYNAMODB_ENDPOINT: stack.dynamoDbEndpoint, AWS_REGION: 'us-east-1' });
    const aliceList = record!.dynamodb!.NewImage!.streamId!.S!;
    await dynamoDbDeadLetters(documentClient, 'todo-cqrs-local-deadLetters').record(
      'listsView',
      aliceList,
      [1],
      new Error('Simulated: the projection threw on this commit'),
    );

    await page.goto(`${stack.consoleUrl}#/projections`);
    const letters = page.getByTestId('dead-letters').locator(':scope > li');
    await expectText(page.getByTestId('dead-letters'), /listsView.*poison-stream.*v1/s, 30_000);
    await expectText(page.getByTestId('dead-letters'), /Simulated: the projection threw/);
    await shot(page, 'console-dead-letters.png');
    await page.getByRole('button', { name: 'Redrive lists' }).click();
    await expectText(
      page.getByRole('status').filter({ hasText: 'redrive' }),
      /redrive lists: 1 streams redriven \(0 commits applied\), 1 still failing/,
    );
    await expectText(letters.nth(0), /poison-stream/);
    // Repaired (the bad commit removed), a second redrive empties the lists view's letters.
    await client.send(new DeleteItemCommand({ TableName: 'todo-cqrs-local-events', Key: poison }));
    client.destroy();
    await page.getByRole('button', { name: 'Redrive lists' }).click();
    await expectText(
      page.getByRole('status').filter({ hasText: 'redrive' }),
      /redrive lists: 1 streams redriven \(0 commits applied\), 0 still failing/,
    );
  });

  it('tags: behind a GET /tags probe, the UI follows the tags contract (the API has no tags yet: faked in the browser)', async () => {
    // The tags aggregate is being added to the API; until then the page's requests for it are
    // answered here, as the contract says, and the lists the real API answers get their tags.
    const tags = new Map<string, string>();
    const tagged = new Map<string, Set<string>>();
    let nextTag = 1;
    const json = (status: number, body: unknown) => ({
      status,
      contentType: 'application/json',
      body: JSON.stringify(body),
    });
    const todoCount = (tagId: string) => [...tagged.values()].filter((s) => s.has(tagId)).length;
    // A request the page gave up (it navigated) cannot be answered any more: not a failure.
    const safely = (handler: (route: Route) => Promise<void>) => (route: Route) =>
      handler(route).catch(() => undefined);
    await page.route(
      /\/api\/tags(\/[^/?]+)?(\?.*)?$/,
      safely(async (route) => {
        const request = route.request();
        const tagId = new URL(request.url()).pathname.split('/')[3];
        const name = (request.postDataJSON() as { name?: string } | null)?.name?.trim();
        if (request.method() === 'GET')
          return route.fulfill(
            json(200, { items: [...tags].map(([id, n]) => ({ tagId: id, name: n, todoCount: todoCount(id) })) }),
          );
        if (request.method() === 'POST' && name) {
          const id = `tag-${nextTag++}`;
          tags.set(id, name);
          return route.fulfill(json(201, { tagId: id, version: 1 }));
        }
        if (!tagId || !tags.has(tagId))
          return route.fulfill(json(404, { error: { code: 'TAG_NOT_FOUND', message: `No tag ${tagId}` } }));
        if (request.method() === 'PATCH' && name) tags.set(tagId, name);
        if (request.method() === 'DELETE') {
          tags.delete(tagId);
          for (const set of tagged.values()) set.delete(tagId);
        }
        return route.fulfill(json(200, { tagId, version: 2 }));
      }),
    );
    await page.route(
      /\/api\/lists\/[^/]+\/todos\/[^/]+\/tags\/[^/]+$/,
      safely(async (route) => {
        const [, , , listId, , todoId, , tagId] = new URL(route.request().url()).pathname.split('/');
        const set = tagged.get(todoId!) ?? new Set<string>();
        if (route.request().method() === 'PUT') set.add(tagId!);
        else set.delete(tagId!);
        tagged.set(todoId!, set);
        const list = await (
          await route.fetch({
            url: route
              .request()
              .url()
              .replace(/\/todos\/.*$/, ''),
            method: 'GET',
          })
        ).json();
        return route.fulfill(json(200, { listId, todoId, version: list.version }));
      }),
    );
    await page.route(
      /\/api\/lists\/[^/?]+(\?.*)?$/,
      safely(async (route) => {
        if (route.request().method() !== 'GET') return route.continue();
        const answer = await route.fetch();
        const list = await answer.json();
        for (const todo of list.todos ?? [])
          todo.tags = [...(tagged.get(todo.todoId) ?? [])].map((tagId) => ({ tagId, name: tags.get(tagId) }));
        return route.fulfill({ response: answer, json: list });
      }),
    );

    // A hash change: the todo page mounts again and asks GET /tags, now answered above.
    await page.goto(listUrl);
    await page.getByTestId('tags').waitFor();
    await page.getByLabel('New tag').fill('urgent');
    await page.getByRole('button', { name: 'Create tag' }).click();
    await expectText(page.getByTestId('tags'), /urgent\s*0 todos/);
    await page.getByLabel('Tag Bread').selectOption({ label: 'urgent' });
    await page.getByRole('button', { name: 'Add the tag to Bread' }).click();
    await page.getByRole('button', { name: 'Remove tag urgent from Bread' }).waitFor();
    await expectText(page.getByTestId('tags'), /urgent\s*1 todo\b/);
    await page.getByRole('button', { name: 'Rename tag urgent' }).click();
    await page.getByLabel('Tag name').fill('soon');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Remove tag soon from Bread' }).waitFor();
    await shot(page, 'console-tags.png');
    await page.getByRole('button', { name: 'Remove tag soon from Bread' }).click();
    await expectText(page.getByTestId('tags'), /soon\s*0 todos/);
    // Deleting asks first: dismissed, the tag stays; accepted, it goes.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Delete tag soon' }).click();
    await waitFor(async () => asked.length > 0, 'the question before deleting');
    expect(asked).toEqual([expect.stringMatching(/^Delete the tag soon\?/)]);
    await expectText(page.getByTestId('tags'), /soon\s*0 todos/);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete tag soon' }).click();
    await expectText(page.getByTestId('tags'), 'No tags yet.');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  it('renders the API documents and runs a GraphQL query', async () => {
    await page.goto(`${stack.consoleUrl}#/docs`);
    // RapiDoc renders into its shadow root; Playwright's text locators pierce it.
    await page.getByTestId('openapi').getByText('Create a list').first().waitFor({ timeout: 30_000 });
    await shot(page, 'console-docs.png');
    await page.goto(`${stack.consoleUrl}#/graphql`);
    await expectText(page.getByText('Valid against the schema'), 'Valid against the schema');
    await page.getByRole('button', { name: /Run/ }).click();
    await expectText(page.getByTestId('gql-result'), /200 .*"title": "Groceries"/s);
    await shot(page, 'console-graphql.png');
  });

  it("the API documents' Try acts as the signed-in user, and as no one after a switch or sign-out", async () => {
    await page.goto(`${stack.consoleUrl}#/docs`);
    await page.getByTestId('openapi').getByText('Create a list').first().waitFor({ timeout: 30_000 });
    await waitFor(async () => (await docsTryUser(page)) === 'alice', 'Try to act as alice');
    await signIn(page, 'bob');
    await waitFor(async () => (await docsTryUser(page)) === 'bob', 'Try to act as bob after switching to bob');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Not signed in').waitFor();
    await waitFor(async () => (await docsTryUser(page)) === 'nobody', 'Try to carry no token after signing out');
    await signIn(page, 'alice');
  });

  it('keyboard: a skip link, focus kept after a command, Rename focuses its field; names and landmarks', async () => {
    await page.goto(listUrl);
    await page.reload();
    const view = page.getByTestId('list-view');
    await view.getByRole('heading', { name: 'Groceries' }).waitFor();
    // After the reload the tab signs in again as alice, and the name field says so.
    expect(await page.getByLabel('User', { exact: true }).inputValue()).toBe('alice');
    const focused = () => page.evaluate<string>('document.activeElement?.id || document.activeElement?.tagName');
    // The first Tab reaches the skip link; it moves focus to the page's content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to the content');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('main');
    // Focus stays in the field a command was sent from, and on the checkbox that sent one.
    const version = Number(await view.getByTestId('list-version').textContent());
    await page.getByLabel('New todo').fill('Eggs');
    await page.getByLabel('New todo').press('Enter');
    await expectText(view.getByTestId('list-version'), String(version + 1));
    await waitFor(async () => (await focused()) === 'new-todo', 'focus back in "New todo"');
    await view.getByRole('checkbox', { name: 'Eggs' }).focus();
    await page.keyboard.press('Space');
    await expectText(view.getByTestId('list-version'), String(version + 2));
    await waitFor(
      async () => (await page.evaluate('document.activeElement?.type')) === 'checkbox',
      'focus back on the checkbox',
    );
    // Rename puts focus in its field.
    await page.getByRole('button', { name: 'Rename Eggs' }).click();
    await waitFor(
      async () => (await page.evaluate<string>("document.activeElement?.id ?? ''")).startsWith('rename-'),
      'focus in the rename field',
    );
    await page.keyboard.press('Escape');

    // History: each "vN" button's name starts with its text.
    await page.goto(`${stack.consoleUrl}#/history/${listUrl.split('/').pop()}`);
    await page.getByRole('button', { name: /^v1\b/ }).waitFor();
    // GraphQL: the schema, which scrolls, takes focus and is named.
    await page.goto(`${stack.consoleUrl}#/graphql`);
    const schema = page.getByRole('region', { name: 'GraphQL schema (SDL)' });
    await schema.focus();
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('GraphQL schema (SDL)');
    // API documents: one main landmark, RapiDoc's (in its shadow root) included.
    await page.goto(`${stack.consoleUrl}#/docs`);
    await page.getByTestId('openapi').getByText('Create a list').first().waitFor({ timeout: 30_000 });
    const mains = await page.evaluate(`(() => {
      const count = (root) => root.querySelectorAll('main, [role="main"]').length +
        [...root.querySelectorAll('*')].reduce((n, e) => n + (e.shadowRoot ? count(e.shadowRoot) : 0), 0);
      return count(document);
    })()`);
    expect(mains).toBe(1);
  });

  it('long unbroken titles and tags stay inside their panels on every page, at 1280 and 375 px', async () => {
    const long = 'W'.repeat(200);
    const tag = 'T'.repeat(40);
    await page.goto(stack.consoleUrl);
    await signIn(page, 'carol');
    await page.getByLabel('New list').fill(long);
    await page.getByRole('button', { name: 'Create list' }).click();
    const view = page.getByTestId('list-view');
    await view.getByRole('heading', { name: long }).waitFor();
    await page.getByLabel('New todo').fill(long);
    await page.getByRole('button', { name: 'Add todo' }).click();
    await expectText(view.getByTestId('list-version'), '2');
    await page.getByLabel('New tag').fill(tag);
    await page.getByRole('button', { name: 'Create tag' }).click();
    await page.getByLabel(`Tag ${long}`).selectOption({ label: tag });
    await page.getByRole('button', { name: `Add the tag to ${long}` }).click();
    await page.getByRole('button', { name: `Remove tag ${tag} from ${long}` }).waitFor();
    const listPage = page.url();
    const listId = listPage.split('/').pop()!;
    const pages: [string, (p: Page) => Promise<unknown>][] = [
      [listPage, (p) => p.getByRole('button', { name: `Remove tag ${tag} from ${long}` }).waitFor()],
      [`${stack.consoleUrl}#/history/${listId}`, (p) => p.getByTestId('tt-past').getByText(long).first().waitFor()],
      [`${stack.consoleUrl}#/projections`, (p) => p.getByTestId('projection-status').waitFor()],
      [
        `${stack.consoleUrl}#/docs`,
        (p) => p.getByTestId('openapi').getByText('Create a list').first().waitFor({ state: 'attached' }),
      ],
      [`${stack.consoleUrl}#/graphql`, (p) => p.getByText('Valid against the schema').waitFor()],
    ];
    for (const width of [1280, 375]) {
      const p = await newPage({ width, height: 860 });
      await p.goto(stack.consoleUrl);
      await signIn(p, 'carol');
      for (const [url, ready] of pages) {
        await p.goto(url);
        await ready(p);
        if (url.endsWith('/graphql')) {
          await p.getByRole('button', { name: /Run/ }).click();
          await expectText(p.getByTestId('gql-result'), /200 .*WWWW/s);
        }
        const wide = Number(await p.evaluate('document.documentElement.scrollWidth'));
        const name = `console-long-${width}-${new URL(url).hash.split('/')[1] || 'app'}.png`;
        await shot(p, name);
        expect({ page: name, scrollWidth: wide }).toEqual({ page: name, scrollWidth: Math.min(wide, width) });
      }
      await p.context().close();
    }
  }, 120_000);

  it('is usable at 375 px wide: no sideways scrolling, every control reachable', async () => {
    const narrow = await newPage({ width: 375, height: 812 });
    await narrow.goto(listUrl);
    await signIn(narrow, 'alice');
    await narrow.getByTestId('list-view').getByRole('heading', { name: 'Groceries' }).waitFor();
    expect(Number(await narrow.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    // Keyboard only: from the user field, Tab reaches the buttons in reading order.
    await narrow.getByLabel('User', { exact: true }).focus();
    await narrow.keyboard.press('Tab');
    expect(await narrow.evaluate('document.activeElement?.textContent')).toBe('Switch user');
    await shot(narrow, 'console-375.png');
    await narrow.goto(`${stack.consoleUrl}#/projections`);
    await narrow.getByTestId('projection-status').waitFor();
    expect(Number(await narrow.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await shot(narrow, 'console-375-projections.png');
    await narrow.context().close();
  });

  it('called nothing outside the machine', () => {
    expect(outside).toEqual([]);
  });
});

/** Waits until the locator's text matches (Playwright's expect is not jest's). */
async function expectText(locator: ReturnType<Page['locator']>, expected: string | RegExp, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator.innerText (the rendered text), not the DOM property
    last = (await locator.innerText({ timeout }).catch(() => '')) ?? '';
    if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return;
    if (Date.now() > deadline) throw new Error(`Expected ${String(expected)}, the page shows:\n${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForCount(locator: ReturnType<Page['locator']>, count: number, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while ((await locator.count()) !== count) {
    if (Date.now() > deadline) throw new Error(`Expected ${count} items, found ${await locator.count()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
