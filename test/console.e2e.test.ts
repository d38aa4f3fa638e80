/**
 * The local console (src/local/console) in a real Chromium, driven by playwright-core,
 * against the stack `npm start` runs. The console renders the app from its declaration; these
 * tests drive the reference app through those generic pages: its commands' forms, its queries'
 * answers, a stream's history and time travel, projection status, verify, dead letters and
 * redrive, the API documents, GraphQL; and axe-core finds no critical or serious violation.
 * Screenshots go to CONSOLE_SCREENSHOTS (default: a new temp folder, printed).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbDeadLetters, dynamoDbFromEnv } from '../src';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './support/chromium';
import { accessibilityProblems, docsTryUser, waitFor, waitForAttribute } from './support/consolePage';
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

/** A command's form, found by the summary its declaration gives it. */
const commandForm = (p: Page, summary: string) => p.getByRole('form', { name: summary, exact: true });

/** Fills a command's fields (by their names in its body schema) and sends it; resolves once the log shows its answer. */
const send = async (p: Page, summary: string, fields: Record<string, string> = {}) => {
  const form = commandForm(p, summary);
  for (const [name, value] of Object.entries(fields)) await form.getByLabel(name, { exact: true }).fill(value);
  const log = p.getByTestId('command-log').locator(':scope > li');
  const before = await log.count().catch(() => 0);
  await form.getByRole('button', { name: summary, exact: true }).click();
  await waitFor(async () => (await log.count()) > before, `the answer of "${summary}"`);
  return log.first();
};

/** The answer of one of the app's queries, as its panel shows it. */
const queryPanel = (p: Page, name: string) => p.getByTestId(`query-${name}`);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('the local console', () => {
  let listId: string;
  const historyUrl = () => `${stack.consoleUrl}#/history/getListEvents/${listId}`;

  beforeAll(async () => {
    page = await newPage();
    await page.goto(stack.consoleUrl);
  });

  it('renders a form for every command and a panel for every query the app declares', async () => {
    await signIn(page, 'alice');
    const metadata = (await (await fetch(new URL('/console/app', stack.consoleUrl))).json()) as {
      operations: { name: string; kind: string; summary: string }[];
    };
    for (const o of metadata.operations.filter((o) => o.kind === 'command'))
      await commandForm(page, o.summary).waitFor();
    for (const o of metadata.operations.filter((o) => o.kind === 'query')) await queryPanel(page, o.name).waitFor();
  });

  it("creates a list, adds and completes a todo through the generic forms: each answer's version, and the views read at it", async () => {
    const created = await send(page, 'Create a list', { title: 'Groceries' });
    await expectText(created, /POST \/lists → 201 · version 1/);
    // The answer's id is selected: the commands that take it fill it in, the queries that need it read.
    await expectText(page.getByTestId('selection'), /listId = Groceries/);
    listId = await commandForm(page, 'Add a todo to a list').getByLabel('listId', { exact: true }).inputValue();
    expect(listId).toMatch(UUID);
    await send(page, 'Add a todo to a list', { title: 'Milk' });
    await send(page, 'Add a todo to a list', { title: 'Bread' });
    const list = queryPanel(page, 'getList');
    await expectText(list, /Groceries.*Milk.*Bread.*version\s+3/s);
    // "Select" picks which todo the commands act on.
    await list.getByRole('button', { name: 'Select Milk' }).click();
    await expectText(page.getByTestId('selection'), /todoId = Milk/);
    await expectText(await send(page, 'Complete a todo'), /POST \/lists\/.+\/complete → 200 · version 4/);
    await expectText(list, /Milk\s*todoId.*completed\s+✓ yes.*Bread.*completed\s+✗ no.*version\s+4/s);
    // The lists view (read at the version the command answered) agrees.
    await expectText(queryPanel(page, 'getLists'), /Groceries.*openCount\s+1.*completedCount\s+1.*version\s+4/s);
    await shot(page, 'console-app.png');
  });

  it('shows a validation error next to its form, with its details', async () => {
    const form = commandForm(page, 'Rename a list');
    await send(page, 'Rename a list', { title: '   ' });
    // The field names the error that describes it: code, message and each detail's path.
    const field = form.getByLabel('title', { exact: true });
    const describedBy = await waitForAttribute(field, 'aria-describedby');
    const error = page.locator(`[id="${describedBy}"]`);
    await expectText(error, /VALIDATION_ERROR.*not valid.*title/s);
    expect(await error.getAttribute('role')).toBe('alert');
    await expectText(
      page.getByTestId('command-log').locator('li').first(),
      /PATCH \/lists\/.+ → 400 · VALIDATION_ERROR/,
    );
    // A valid rename clears it.
    await send(page, 'Rename a list', { title: 'Groceries' });
    await error.waitFor({ state: 'detached' });
  });

  it('tags through the generic forms; deleting, a destructive command, asks first', async () => {
    await send(page, 'Create a tag', { name: 'urgent' });
    await expectText(queryPanel(page, 'getTags'), /urgent/);
    await queryPanel(page, 'getList').getByRole('button', { name: 'Select Bread' }).click();
    await expectText(page.getByTestId('selection'), /todoId = Bread/);
    await expectText(page.getByTestId('selection'), /tagId = urgent/);
    await send(page, 'Put one of your tags on a todo');
    await expectText(queryPanel(page, 'getList'), /Bread\s*todoId.*tags\s*urgent/s);
    await expectText(queryPanel(page, 'getTags'), /urgent.*todoCount\s+1/s);
    await send(page, 'Create a tag', { name: 'later' });
    await expectText(queryPanel(page, 'getTags'), /later/);
    // Deleting asks first: dismissed, nothing is sent; accepted, the tag goes.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    const log = page.getByTestId('command-log').locator(':scope > li');
    const sent = await log.count();
    await commandForm(page, 'Delete a tag; it leaves every todo').getByRole('button').click();
    await waitFor(async () => asked.length > 0, 'the question before deleting');
    expect(asked).toEqual([expect.stringMatching(/^Delete a tag; it leaves every todo\? \(DELETE \/tags\//)]);
    expect(await log.count()).toBe(sent);
    page.once('dialog', (dialog) => void dialog.accept());
    await send(page, 'Delete a tag; it leaves every todo');
    await waitFor(
      async () => !/later/.test((await queryPanel(page, 'getTags').textContent()) ?? 'later'),
      'the tag gone',
    );
  });

  it('shows the history with names instead of ids, and travels back with the slider, tags included', async () => {
    await page.goto(historyUrl());
    const commits = page.getByTestId('commits').locator(':scope > li');
    // Created, two todos added, one completed, one tagged (the rename to the same title wrote nothing).
    await waitForCount(commits, 5);
    await expectText(commits.nth(0), /v1.*by alice.*correlation.*ListCreated/s);
    // Events that name a todo or a tag by id show its name.
    await expectText(commits.nth(3), /v4.*TodoCompleted.*Milk/s);
    await expectText(commits.nth(4), /v5.*TodoTagged.*Bread.*urgent/s);
    for (let i = 0; i < 5; i += 1) expect(await commits.nth(i).locator('ul.events').textContent()).not.toMatch(UUID);
    await expectText(page.getByTestId('tt-version'), '5');

    const slider = page.getByLabel(/Version/);
    await slider.focus();
    await page.keyboard.press('Home');
    await expectText(page.getByTestId('tt-version'), '1');
    await expectText(page.getByTestId('tt-past'), /As of version 1.*Groceries.*todos\s*none/s);
    await page.keyboard.press('ArrowRight');
    await expectText(page.getByTestId('tt-past'), /As of version 2.*Milk/s);
    // A todo that exists only now is marked as such.
    await expectText(page.getByTestId('tt-current'), /Now \(version 5\).*only here.*Bread/s);
    await page.keyboard.press('End');
    await expectText(page.getByTestId('tt-past'), /As of version 5.*Bread.*tags\s*urgent/s);
    await page.keyboard.press('ArrowLeft');
    // The tagging commit is a difference time travel shows.
    await expectText(page.getByTestId('tt-past'), /As of version 4.*Bread.*tags\s*none/s);
    await expectText(page.getByTestId('tt-current'), /tags\s*urgent\s*\(differs\)|urgent/s);
    expect(await page.getByTestId('tt-current').locator('li.changed').count()).toBeGreaterThan(0);
    await shot(page, 'console-history.png');
  });

  it('another user sees nothing of the first: their list is explained, not a bare 404', async () => {
    await page.goto(`${stack.consoleUrl}#/app`);
    await signIn(page, 'bob');
    await expectText(queryPanel(page, 'getLists'), /items\s*none/);
    // alice's list is still selected: bob reads it, and is told why it is not found.
    await expectText(queryPanel(page, 'getList'), /Not found for Groceries: each user sees only their own data/);
    await expectText(queryPanel(page, 'getList'), /404 LIST_NOT_FOUND/);
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
    // The stream runner retries the poisoned record for a few seconds (maximumRetryAttempts) and files
    // its failure again each time: a redrive in that window rightly says "failed again meanwhile". Wait
    // until the runner has given up (its dead-letter notice) before the repair.
    const notice = path.join(stack.dataDir, 'dead-letters', 'listsView.jsonl');
    await waitFor(
      async () => existsSync(notice) && readFileSync(notice, 'utf8').includes('poison-stream'),
      'the stream runner to give up on the poisoned record',
      30_000,
    );
    // Repaired (the bad commit removed), a second redrive empties the lists view's letters.
    await client.send(new DeleteItemCommand({ TableName: 'todo-cqrs-local-events', Key: poison }));
    client.destroy();
    await page.getByRole('button', { name: 'Redrive lists' }).click();
    await expectText(
      page.getByRole('status').filter({ hasText: 'redrive' }),
      /redrive lists: 1 streams redriven \(0 commits applied\), 0 still failing/,
    );
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

  it('keyboard: a skip link, focus kept after a command; after a reload, the name field and the selection', async () => {
    await page.goto(stack.consoleUrl);
    await page.reload();
    // The selection outlives the reload: the list is read again.
    await queryPanel(page, 'getList').getByText('Milk').first().waitFor();
    // After the reload the tab signs in again as alice, and the name field says so.
    await waitFor(
      async () => (await page.getByLabel('User', { exact: true }).inputValue()) === 'alice',
      'the user field to say alice',
    );
    const focused = () => page.evaluate<string>('document.activeElement?.id || document.activeElement?.tagName');
    // The first Tab reaches the skip link; it moves focus to the page's content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to the content');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('main');
    // Focus stays in the field a command was sent from (its controls are disabled while it runs).
    await queryPanel(page, 'getLists').getByRole('button', { name: 'Select Groceries' }).click();
    const title = commandForm(page, 'Add a todo to a list').getByLabel('title', { exact: true });
    await title.fill('Eggs');
    const log = page.getByTestId('command-log').locator(':scope > li');
    const before = await log.count();
    await title.press('Enter');
    await waitFor(async () => (await log.count()) > before, 'the answer');
    await expectText(queryPanel(page, 'getList'), /Eggs/);
    await waitFor(async () => (await focused()) === 'addTodo-title', 'focus back in the title field');
    // And on the button a command was sent with.
    await queryPanel(page, 'getList').getByRole('button', { name: 'Select Eggs' }).click();
    await commandForm(page, 'Complete a todo').getByRole('button').focus();
    await page.keyboard.press('Enter');
    await waitFor(async () => (await log.count()) > before + 1, 'the second answer');
    await waitFor(
      async () => (await page.evaluate('document.activeElement?.textContent')) === 'Complete a todo',
      'focus back on the button',
    );
  }, 60_000);

  it('axe-core: no critical or serious violation on any page, with real data', async () => {
    const pages: [string, (p: Page) => Promise<unknown>][] = [
      [stack.consoleUrl, (p) => queryPanel(p, 'getList').getByText('Eggs').first().waitFor()],
      [
        historyUrl(),
        (p) =>
          p
            .getByTestId('tt-past')
            .getByText(/As of version/)
            .waitFor(),
      ],
      [`${stack.consoleUrl}#/history`, (p) => p.getByRole('link', { name: 'Groceries' }).first().waitFor()],
      [`${stack.consoleUrl}#/projections`, (p) => p.getByTestId('projection-status').waitFor()],
      [
        `${stack.consoleUrl}#/docs`,
        (p) => p.getByTestId('openapi').getByText('Create a list').first().waitFor({ timeout: 30_000 }),
      ],
      [`${stack.consoleUrl}#/graphql`, (p) => p.getByText('Valid against the schema').waitFor()],
    ];
    const found: Record<string, string[]> = {};
    for (const [url, ready] of pages) {
      await page.goto(url);
      await ready(page);
      if (url.endsWith('#/graphql')) {
        await page.getByRole('button', { name: /Run/ }).click();
        await expectText(page.getByTestId('gql-result'), /200 /);
      }
      found[url] = await accessibilityProblems(page);
    }
    expect(found).toEqual(Object.fromEntries(pages.map(([url]) => [url, []])));
  }, 120_000);

  it('long unbroken titles and tags stay inside their panels on every page, at 1280 and 375 px', async () => {
    const long = 'W'.repeat(200);
    const tag = 'T'.repeat(40);
    await page.goto(stack.consoleUrl);
    await signIn(page, 'carol');
    await send(page, 'Create a list', { title: long });
    await send(page, 'Add a todo to a list', { title: long });
    await send(page, 'Create a tag', { name: tag });
    await expectText(page.getByTestId('selection'), /tagId = T{40}/);
    await expectText(queryPanel(page, 'getList'), /version\s+2/);
    await queryPanel(page, 'getList')
      .getByRole('button', { name: `Select ${long}` })
      .last()
      .click();
    await send(page, 'Put one of your tags on a todo');
    await expectText(queryPanel(page, 'getList'), new RegExp(`tags\\s*${tag}`));
    const carolList = await commandForm(page, 'Add a todo to a list')
      .getByLabel('listId', { exact: true })
      .inputValue();
    const pages: [string, (p: Page) => Promise<unknown>][] = [
      [stack.consoleUrl, (p) => queryPanel(p, 'getTags').getByText(tag).first().waitFor()],
      [
        `${stack.consoleUrl}#/history/getListEvents/${carolList}`,
        (p) => p.getByTestId('tt-past').getByText(long).first().waitFor(),
      ],
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
  }, 180_000);

  it('is usable at 375 px wide: no sideways scrolling, every control reachable', async () => {
    const narrow = await newPage({ width: 375, height: 812 });
    await narrow.goto(stack.consoleUrl);
    await signIn(narrow, 'alice');
    await queryPanel(narrow, 'getLists').getByText('Groceries').first().waitFor();
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

  it("history says what caused a commit: a deleted tag's untag names the reaction and the deletion", async () => {
    const p = await newPage();
    await p.goto(stack.consoleUrl);
    await signIn(p, 'dora');
    await send(p, 'Create a list', { title: 'Chores' });
    const choresId = await commandForm(p, 'Add a todo to a list').getByLabel('listId', { exact: true }).inputValue();
    expect(choresId).toMatch(UUID);
    await send(p, 'Add a todo to a list', { title: 'Sweep' });
    await send(p, 'Create a tag', { name: 'soon' });
    await queryPanel(p, 'getList').getByRole('button', { name: 'Select Sweep' }).click();
    await expectText(p.getByTestId('selection'), /todoId = Sweep/);
    await expectText(p.getByTestId('selection'), /tagId = soon/);
    await send(p, 'Put one of your tags on a todo');
    await expectText(queryPanel(p, 'getList'), /Sweep\s*todoId.*tags\s*soon/s);
    await expectText(queryPanel(p, 'getTags'), /soon.*todoCount\s+1/s);
    p.once('dialog', (dialog) => void dialog.accept());
    await send(p, 'Delete a tag; it leaves every todo');
    // The reaction runs from the events table's stream: the untag commit comes a moment later.
    await p.goto(`${stack.consoleUrl}#/history/getListEvents/${choresId}`);
    const commits = p.getByTestId('commits').locator(':scope > li');
    await waitFor(async () => {
      await p.reload();
      await commits
        .first()
        .waitFor({ timeout: 5_000 })
        .catch(() => undefined);
      return (await commits.count()) === 4;
    }, 'the untag commit the deletion caused');
    await expectText(commits.nth(3), /v4.*TodoUntagged.*Sweep/s);
    await expectText(commits.nth(3).getByTestId('cause'), /caused by untagDeletedTag reacting to tags#.+ v\d+/);
    expect(await commits.nth(2).getByTestId('cause').count()).toBe(0);
    await shot(p, 'console-history-cause.png');
    await p.context().close();
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
