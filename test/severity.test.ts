/**
 * One severity per finding, whichever command reports it: build, check and
 * publish pass their findings through check/severity.ts, so a rule set in
 * `checks.rules`, or `--strict`, reads the same in each. The `check-broken`
 * fixture triggers every rule that runs without `--online`; each setting is
 * one run of the three commands on a fresh copy of it.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture } from './check-support.ts';
import { fixtures, repoRoot } from './helpers.ts';
import { loadConfig } from '../pipeline/config.ts';
import { toJson, type Diagnostics } from '../pipeline/diagnostics.ts';
import { buildProject } from '../pipeline/commands/build.ts';
import { checkProject } from '../pipeline/commands/check.ts';
import { publishProject } from '../pipeline/commands/publish.ts';
import { RULES, type RuleId, type RuleSetting } from '../pipeline/check/settings.ts';
import { decideSeverity } from '../pipeline/check/severity.ts';

/** Rules of the table that build reports too (reassemble); the others only check (and so publish) reports. */
const BUILD_RULES: RuleId[] = ['missing-translation', 'stale-translation', 'tag-mismatch'];
/** Rules only `check --online` reports: neither build nor publish probes. */
const ONLINE_RULES: RuleId[] = ['link-dead', 'link-unreachable', 'link-redirect', 'mail-domain'];
const ALL_RULES = Object.keys(RULES) as RuleId[];
const OFFLINE_RULES = ALL_RULES.filter((rule) => !ONLINE_RULES.includes(rule));

type Setting = 'default' | RuleSetting | 'strict';
const SETTINGS: Setting[] = ['default', 'off', 'warning', 'error', 'strict'];

/** `file:line:column severity` per finding of `rule`, sorted. */
type Places = (rule: string) => string[];

interface Run {
  build: Places;
  check: Places;
  publish: Places;
  /** Rule ids build reported. */
  buildRules: Set<string>;
}

const placesIn = (diagnostics: Diagnostics): Places => {
  const all = toJson(diagnostics.files, diagnostics.cwd);
  return (rule) =>
    all
      .filter((item) => item.rule === rule)
      .map((item) => `${item.file}:${item.line}:${item.column} ${item.severity}`)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
};

/**
 * A copy of `check-broken` that build renders as far as reassembling: its
 * image a real PNG, its script-like `htps:` link (which build refuses before
 * reassembling) a plain one; the nl interface strings have a key no page
 * uses, a finding of a rule outside the table.
 */
async function buildableFixture(): Promise<string> {
  const root = await copyFixture('check-broken');
  await copyFile(path.join(fixtures, 'identity', 'images', 'logo.png'), path.join(root, 'statements', 'chart.png'));
  const statement = path.join(root, 'statements', 'broken.md');
  await writeFile(statement, (await readFile(statement, 'utf8')).replace('htps://portal.acme.be', 'https://portal.acme.be'));
  for (const locale of ['en', 'fr', 'nl']) {
    const strings = JSON.parse(await readFile(path.join(repoRoot, 'locales', locale, 'common.json'), 'utf8')) as Record<string, string>;
    if (locale === 'nl') strings['site.slogan'] = 'Nieuws';
    await writeFile(path.join(root, 'locales', locale, 'common.json'), JSON.stringify(strings, null, 2));
  }
  return root;
}

/**
 * build, check and publish (a dry run to a local folder) on a fresh copy of
 * the fixture, every rule of the table set to `setting` (or left at its
 * default, with `--strict` for `strict`).
 */
async function runCommands(setting: Setting): Promise<Run> {
  const root = await buildableFixture();
  const rules = setting === 'default' || setting === 'strict' ? {} : Object.fromEntries(ALL_RULES.map((rule) => [rule, setting]));
  const config = await loadConfig(root, { checks: { rules } });
  const strict = setting === 'strict';
  const build = await buildProject({ ...config, strict }, { jobs: 1 });
  const check = await checkProject(config, { strict });
  const publish = await publishProject(config, { strict, dryRun: true, env: {} });
  return {
    build: placesIn(build.diagnostics),
    check: placesIn(check.diagnostics),
    publish: placesIn(publish.diagnostics),
    buildRules: new Set(toJson(build.diagnostics.files, root).map((item) => item.rule ?? '')),
  };
}

const runs = new Map<Setting, Run>();
const run = (setting: Setting) => runs.get(setting)!;

beforeAll(async () => {
  for (const setting of SETTINGS) runs.set(setting, await runCommands(setting));
}, 240_000);

/** Where the fixture triggers `rule`, as the check finds it by default. */
const placesOf = (rule: RuleId) =>
  run('default')
    .check(rule)
    .map((entry) => entry.slice(0, entry.lastIndexOf(' ')));

/** What every command must report for `rule` under `setting`. */
function expected(rule: RuleId, setting: Setting): string[] {
  const severity = setting === 'default' ? RULES[rule].severity : setting === 'strict' ? 'error' : setting;
  return severity === 'off' ? [] : placesOf(rule).map((place) => `${place} ${severity}`);
}

const describeSetting = (setting: Setting) =>
  setting === 'default' ? 'by default' : setting === 'strict' ? 'with --strict' : `set to \`${setting}\` in checks.rules`;

describe('one severity for every finding, whichever command reports it', () => {
  it('the fixture triggers every rule that runs without --online', () => {
    for (const rule of OFFLINE_RULES) expect(placesOf(rule), rule).not.toEqual([]);
  });

  it('build reports the rules of reassemble, and no other rule of the table', () => {
    const reported = ALL_RULES.filter((rule) => run('default').buildRules.has(rule));
    expect(reported).toEqual(ALL_RULES.filter((rule) => BUILD_RULES.includes(rule)));
  });

  describe.each(SETTINGS)('%s', (setting) => {
    it.each(BUILD_RULES)(`build, check and publish report each %s finding at the same place with the same severity ${describeSetting(setting)}`, (rule) => {
      const { build, check, publish } = run(setting);
      expect(check(rule)).toEqual(expected(rule, setting));
      expect(build(rule)).toEqual(check(rule));
      expect(publish(rule)).toEqual(check(rule));
    });

    it.each(OFFLINE_RULES.filter((rule) => !BUILD_RULES.includes(rule)))(
      `check and publish report each %s finding with the same severity ${describeSetting(setting)}, build none`,
      (rule) => {
        const { build, check, publish } = run(setting);
        expect(check(rule)).toEqual(expected(rule, setting));
        expect(publish(rule)).toEqual(check(rule));
        expect(build(rule)).toEqual([]);
      },
    );
  });

  it('a rule outside the table keeps its severity whatever checks.rules says, and is an error with --strict, in build and publish alike', () => {
    const where = 'locales/nl/common.json:';
    for (const setting of ['default', 'off', 'warning', 'error'] as const) {
      const { build, publish } = run(setting);
      expect(build('unknown-common-string'), setting).toEqual([expect.stringMatching(new RegExp(`^${where}\\d+:\\d+ warning$`))]);
      expect(publish('unknown-common-string'), setting).toEqual(build('unknown-common-string'));
      expect(build('missing-common-string'), setting).toEqual([]);
    }
    expect(run('strict').build('unknown-common-string')).toEqual([expect.stringMatching(new RegExp(`^${where}\\d+:\\d+ error$`))]);
    expect(run('strict').publish('unknown-common-string')).toEqual(run('strict').build('unknown-common-string'));
  });
});

describe('deciding a severity', () => {
  it.each(ALL_RULES)('%s: its setting wins over its default, off drops it, --strict makes a warning an error', (rule) => {
    const reported = RULES[rule].severity;
    expect(decideSeverity(rule, reported, { rules: {} }, false)).toBe(reported);
    expect(decideSeverity(rule, reported, { rules: {} }, true)).toBe('error');
    for (const setting of ['off', 'warning', 'error'] as const) {
      expect(decideSeverity(rule, reported, { rules: { [rule]: setting } }, false)).toBe(setting);
      expect(decideSeverity(rule, reported, { rules: { [rule]: setting } }, true)).toBe(setting === 'warning' ? 'error' : setting);
    }
    expect(decideSeverity(rule, 'info', { rules: { [rule]: 'error' } }, true)).toBe('info');
    expect(decideSeverity(rule, 'info', { rules: { [rule]: 'off' } }, false)).toBe('off');
  });

  it('a rule outside the table keeps the severity its stage reported, a warning becoming an error with --strict', () => {
    expect(decideSeverity('unsafe-translation', 'error', { rules: {} }, false)).toBe('error');
    expect(decideSeverity('unknown-common-string', 'warning', { rules: {} }, false)).toBe('warning');
    expect(decideSeverity('unknown-common-string', 'warning', { rules: {} }, true)).toBe('error');
    expect(decideSeverity(undefined, 'info', { rules: {} }, true)).toBe('info');
  });
});
