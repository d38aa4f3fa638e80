/**
 * Every relative link and anchor in README.md and docs/*.md points at something that exists: a
 * file (or folder) of the repository, and, with `#anchor`, a heading of that markdown file as
 * GitHub names it. A page that is moved or a heading that is renamed fails here instead of
 * leaving a reader at a dead link.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

const pages = (): string[] => [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks and inline code spans, where markdown links live. */
const prose = (markdown: string): string =>
  markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .split('\n')
    .map((line) => line.replace(/`[^`]*`/g, ''))
    .join('\n');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
const anchorsOf = (markdown: string): Set<string> => {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, text] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = text!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
};

/** Each relative `[text](target)` and `![alt](target)` of a page, with where it points. */
const relativeLinksOf = (markdown: string): string[] =>
  [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));

/** What is wrong with one link of `page`, or undefined when it resolves. */
const problemOf = (page: string, target: string): string | undefined => {
  const [file, anchor] = target.split('#', 2) as [string, string | undefined];
  const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
  if (resolved.startsWith('..')) return `${page}: ${target} leaves the repository`;
  if (!existsSync(path.join(ROOT, resolved))) return `${page}: ${target} names no file (${resolved})`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!resolved.endsWith('.md')) return `${page}: ${target} has an anchor into a file that is not markdown`;
  const anchors = anchorsOf(readFileSync(path.join(ROOT, resolved), 'utf8'));
  return anchors.has(decodeURIComponent(anchor)) ? undefined : `${page}: ${target} names no heading of ${resolved}`;
};

describe('the anchors GitHub gives headings', () => {
  it('drops punctuation and code marks, keeps hyphens, and numbers repeats', () => {
    const anchors = anchorsOf(
      '# Capacity: where does it stop, and what then?\n## `npm start` and ops\n## Notes\n## Notes\n```sh\n# not a heading\n```\n',
    );
    expect([...anchors]).toEqual([
      'capacity-where-does-it-stop-and-what-then',
      'npm-start-and-ops',
      'notes',
      'notes-1',
    ]);
  });
});

describe('relative links', () => {
  it('are found in prose and images, not in code, and web addresses are left out', () => {
    const markdown =
      'See [api](docs/api.md#the-http-api) and ![shot](a.png).\n`[no](x.md)`\n```md\n[no](y.md)\n```\n[web](https://example.com)';
    expect(relativeLinksOf(markdown)).toEqual(['docs/api.md#the-http-api', 'a.png']);
  });

  it('each page has some, and every one in README.md and docs/*.md resolves to a file and heading', () => {
    const problems: string[] = [];
    let count = 0;
    for (const page of pages()) {
      for (const target of relativeLinksOf(readFileSync(path.join(ROOT, page), 'utf8'))) {
        count += 1;
        const problem = problemOf(page, target);
        if (problem) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
    // The README links its docs pages: a split that lost them would have almost none to check.
    expect(count).toBeGreaterThanOrEqual(10);
  });

  it('finds a link that points nowhere (the check can fail)', () => {
    expect(problemOf('README.md', 'docs/no-such-page.md')).toMatch(/names no file/);
    expect(problemOf('README.md', '#no-such-heading')).toMatch(/names no heading/);
    expect(problemOf('README.md', '../outside.md')).toMatch(/leaves the repository/);
  });
});
