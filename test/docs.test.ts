// The documentation against the code: docs/options.md lists exactly the options each entry point
// accepts (asked of the real functions, with an unknown option, in a child process) and each
// example there passes the real validation; docs/cli.md documents every flag of each command's
// real --help; docs/mcp.md every tool the real server lists, with each of its arguments; every relative link in README.md and docs/ resolves, anchors included; the README
// stays a front page.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { packageRoot } from '../lib/native/package-root.js';
import { resolveFunctionBasedOptions, resolveTimeBasedOptions } from '../lib/monitor/options.js';
import { resolveTestOptions } from '../lib/testing/options.js';
import { runCli } from './helpers/cli.js';
import { makeProjectDir, runProgram } from './helpers/child.js';
import { connectToServer } from './helpers/mcp-server.js';

const README_MAX_LINES = 260;

/**
 * Pages that other work in progress adds (the benchmark, safety, allocation sites, trends and
 * HTML): the README and docs may link to them before they exist. Delete each name once its page
 * is in docs/; every other link must resolve.
 */
const PENDING_PAGES = new Set<string>();

const read = (path: string): string => readFileSync(join(packageRoot, path), 'utf8');
const docsPages = (): string[] => readdirSync(join(packageRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);

interface OptionRow {
  readonly name: string;
  readonly for: string;
  readonly example: string;
}

/** The rows of docs/options.md's table: `| \`name\` | for | type | default | \`example\` | meaning |`. */
function optionRows(): OptionRow[] {
  const rows: OptionRow[] = [];
  for (const line of read('docs/options.md').split('\n')) {
    const cells = line.split(' | ');
    const name = /^\| `(\w+)`$/.exec(cells[0] ?? '');
    if (name === null || cells.length < 6) continue;
    const example = /^`(.+)`$/.exec(cells[4]!.trim());
    rows.push({ name: name[1]!, for: cells[1]!.trim(), example: example?.[1] ?? '' });
  }
  return rows;
}

/** Each entry point's options, as its real unknown-option error lists them ("Known options: a, b."). */
async function acceptedOptions(): Promise<Record<string, string[]>> {
  const run = await runProgram(`
import { startLeakMonitoring, leakMonitor, createLeakMonitor } from 'memalot';
import { assertNoLeaks } from 'memalot/testing';
const known = (message) => /Known options: (.*)\\.$/.exec(message)[1].split(', ');
const out = {};
const probe = async (name, call) => {
  try { await call(); out[name] = 'accepted an unknown option'; } catch (error) { out[name] = known(error.message); }
};
const bogus = { notAMemalotOption: 1 };
await probe('startLeakMonitoring', () => startLeakMonitoring({ maxObjectLifetime: 60, ...bogus }));
await probe('leakMonitor', () => leakMonitor(function work() {}, bogus));
await probe('createLeakMonitor', () => createLeakMonitor(bogus));
await probe('assertNoLeaks', () => assertNoLeaks(() => {}, bogus));
console.log(JSON.stringify(out));
`);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, string[]>;
}

/** Which "for" values of the table each entry point takes. */
const FOR_VALUES: Record<string, readonly string[]> = {
  startLeakMonitoring: ['all', 'time'],
  leakMonitor: ['all', 'function'],
  createLeakMonitor: ['all', 'function', 'createLeakMonitor'],
  assertNoLeaks: ['all', 'function', 'assertNoLeaks'],
};

describe('docs/options.md', () => {
  test('lists exactly the options each entry point accepts', async () => {
    const rows = optionRows();
    assert.ok(rows.length > 0, 'no option rows found in docs/options.md');
    const accepted = await acceptedOptions();
    for (const [entry, forValues] of Object.entries(FOR_VALUES)) {
      assert.ok(Array.isArray(accepted[entry]), `${entry}: ${String(accepted[entry])}`);
      const documented = rows.filter((r) => forValues.includes(r.for)).map((r) => r.name).sort();
      assert.deepEqual(documented, [...accepted[entry]!].sort(), `${entry}: the options documented for it (for: ${forValues.join(', ')}) differ from those it accepts`);
    }
    const names = rows.map((r) => r.name);
    assert.equal(new Set(names).size, names.length, 'an option is listed twice');
  });

  test('every example passes the real validation', () => {
    const validate: Record<string, (o: Record<string, unknown>) => unknown> = {
      time: (o) => resolveTimeBasedOptions({ maxObjectLifetime: 60, ...o }),
      function: (o) => resolveFunctionBasedOptions('docs', o),
      all: (o) => resolveFunctionBasedOptions('docs', o),
      assertNoLeaks: (o) => resolveTestOptions(o),
      createLeakMonitor: (o) => assert.equal(typeof o['functionName'], 'string'),
    };
    for (const row of optionRows()) {
      assert.notEqual(row.example, '', `${row.name} has no example`);
      const options = new Function('logger', `return ({ ${row.example} });`)({ info() {} }) as Record<string, unknown>;
      assert.deepEqual(Object.keys(options), [row.name], `the example of ${row.name} sets ${Object.keys(options).join(', ')}`);
      assert.ok(validate[row.for], `${row.name}: unknown "for" value ${row.for}`);
      // outputFunc with forceTerminal: true is refused; each example is checked alone.
      assert.doesNotThrow(() => validate[row.for]!(options), `the example of ${row.name} (${row.example})`);
    }
  });
});

/** The flags of a --help text's Options section: `-d, --report-directory <dir>` gives -d and --report-directory. */
function helpFlags(help: string): string[] {
  const section = help.split(/\n(?=\S)/).find((part) => part.startsWith('Options:')) ?? '';
  const flags: string[] = [];
  for (const line of section.split('\n').slice(1)) {
    const spec = /^ {2}(-\S.*?)(?: {2,}|$)/.exec(line);
    if (spec === null) continue;
    for (const flag of spec[1]!.matchAll(/(?:^|[\s,])(--?[a-zA-Z][\w-]*)/g)) flags.push(flag[1]!);
  }
  return flags;
}

/** A markdown file's parts: the text before the first `## ` heading (''), then each section by heading. */
function sections(markdown: string): Map<string, string> {
  const parts = new Map<string, string>();
  let heading = '';
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) heading = line.slice(3);
    parts.set(heading, `${parts.get(heading) ?? ''}${line}\n`);
  }
  return parts;
}

describe('docs/cli.md', () => {
  test("documents every command and every flag of each command's real --help", async () => {
    const top = await runCli(['--help']);
    assert.equal(top.code, 0, top.stderr);
    const commands = [...top.stdout.split('Commands:')[1]!.matchAll(/^ {2}(\w+)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    assert.ok(commands.includes('run') && commands.length >= 4, `commands found: ${commands.join(', ')}`);
    const parts = sections(read('docs/cli.md'));
    const missing: string[] = [];
    for (const flag of helpFlags(top.stdout)) if (!parts.get('')!.includes(`\`memalot ${flag}`) && !parts.get('')!.includes(`(\`${flag}\`)`)) missing.push(`memalot ${flag}`);
    for (const command of commands) {
      const heading = [...parts.keys()].find((h) => h.startsWith(`\`memalot ${command}\``));
      if (heading === undefined) {
        missing.push(`a "## \`memalot ${command}\`" section`);
        continue;
      }
      const help = await runCli([command, '--help']);
      assert.equal(help.code, 0, help.stderr);
      const flags = helpFlags(help.stdout);
      assert.ok(flags.includes('--help'), `no flags read from memalot ${command} --help:\n${help.stdout}`);
      for (const flag of flags) {
        // In the command's own section (a table row, a usage line), as a word of its own: `-d, --flag <dir>`.
        if (!new RegExp(`(?:^|[\\s\`[(,])${flag}(?=[\\s\`\\]),=]|$)`, 'm').test(parts.get(heading)!)) missing.push(`memalot ${command} ${flag}`);
      }
    }
    assert.deepEqual(missing, [], `not documented in docs/cli.md: ${missing.join('; ')}`);
  });
});

describe('docs/mcp.md', () => {
  test('documents every tool the real server lists, with each of its arguments, in the tools table', async () => {
    const server = await connectToServer(['--report-directory', makeProjectDir()]);
    try {
      const { tools } = await server.client.listTools();
      assert.ok(tools.length >= 3, `tools: ${tools.map((t) => t.name).join(', ')}`);
      const rows = read('docs/mcp.md').split('\n').filter((line) => line.startsWith('| `'));
      const missing: string[] = [];
      for (const tool of tools) {
        const row = rows.find((line) => line.startsWith(`| \`${tool.name}\` |`));
        if (row === undefined) {
          missing.push(tool.name);
          continue;
        }
        for (const argument of Object.keys(tool.inputSchema.properties ?? {})) if (!row.includes(`\`${argument}\``)) missing.push(`${tool.name} ${argument}`);
      }
      assert.deepEqual(missing, [], `not in docs/mcp.md's tools table: ${missing.join('; ')}`);
    } finally {
      await server.close();
    }
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchorsIn(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (!inCode && heading) anchors.add(anchorOf(heading[1]!));
  }
  return anchors;
}

/** The relative links of a markdown file, outside code: `[text](target)`. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/i.test(t));
}

describe('links', () => {
  test('every relative link in README.md and docs/ resolves, anchors included', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of ['README.md', ...docsPages()]) {
      for (const link of relativeLinks(read(page))) {
        checked++;
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? page : relative(packageRoot, join(packageRoot, dirname(page), path));
        if (PENDING_PAGES.has(target)) continue;
        if (!existsSync(join(packageRoot, target))) {
          broken.push(`${page}: ${link} (no ${target})`);
        } else if (anchor !== undefined && target.endsWith('.md') && !anchorsIn(read(target)).has(anchor)) {
          broken.push(`${page}: ${link} (no heading #${anchor} in ${target})`);
        }
      }
    }
    assert.ok(checked > 20, `only ${checked} links found`);
    assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
  });

  test(`the README is at most ${README_MAX_LINES} lines`, () => {
    const lines = read('README.md').split('\n').length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines`);
  });
});
