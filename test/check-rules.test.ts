/**
 * Every rule of `statements check` against two fixtures: `check-broken`
 * triggers each rule (each finding asserted with its file, line and
 * column), `check-clean` triggers none.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { check, copyFixture, placesOf, type Finding } from './check-support.ts';
import type { CheckReport } from '../pipeline/commands/check.ts';

let broken: Finding[];
let clean: Finding[];
let cleanReport: CheckReport;

beforeAll(async () => {
  broken = (await check(await copyFixture('check-broken'))).all;
  ({ all: clean, report: cleanReport } = await check(await copyFixture('check-clean')));
});

const S = 'statements/broken.md';
const NL = 'locales/nl/broken.json';
const FR = 'locales/fr/broken.json';

describe('check rules', () => {
  it('finds nothing in a statement whose contacts, links and translations are all in order', () => {
    expect(clean).toEqual([]);
    expect(cleanReport.errors + cleanReport.warnings).toBe(0);
  });

  it.each([
    ['link-placeholder', [`${S}:15:47 warning`, `${S}:15:68 warning`, `${S}:15:88 warning`, `${S}:15:125 warning`, `${S}:15:168 warning`]],
    ['link-malformed', [`${S}:17:5 error`, `${S}:17:32 error`]],
    ['link-insecure', [`${S}:17:76 warning`]],
    ['link-fragment', [`${S}:19:13 error`, `${S}:41:9 error`]],
    ['link-missing', [`${S}:19:38 error`, `${S}:19:70 error`]],
    ['image-alt', [`${NL}:14:3 error`, `${S}:21:1 error`]],
    ['email-invalid', [`${S}:25:16 error`]],
    ['mailto-mismatch', [`${S}:25:44 error`]],
    ['contact-mismatch', [`${S}:9:10 error`, `${S}:10:10 error`]],
    ['email-changed', [`${NL}:15:3 error`]],
    ['phone-changed', [`${NL}:10:3 error`]],
    ['link-changed', [`${NL}:6:3 error`]],
    ['name-changed', [`${NL}:15:3 error`]],
    ['interpolation-mismatch', [`${NL}:11:3 error`]],
    ['untranslated', [`${NL}:12:3 warning`]],
    ['wrong-language', [`${FR}:12:3 warning`]],
    ['tag-mismatch', [`${FR}:5:3 error`, `${NL}:15:3 error`]],
    ['stale-translation', [`${NL}:13:3 warning`]],
    ['missing-translation', [`${FR}:13:3 warning`]],
  ])('reports %s where it occurs, and only there', (rule, expected) => {
    expect(placesOf(broken, rule)).toEqual(expected);
    expect(placesOf(clean, rule)).toEqual([]);
  });

  it('names each placeholder target and the link it sits on', () => {
    expect(broken.filter((f) => f.rule === 'link-placeholder').map((f) => f.message)).toEqual([
      'Placeholder link target "#" on link `details`, expected the real URL',
      'Placeholder link target "TODO" on link `plan`, expected the real URL',
      'Placeholder link target "https://example.com/demo" (`example.com` is not a real site) on link `demo`, expected the real URL',
      'Placeholder link target "http://localhost:8080/x" (`localhost` is not a real site) on link `preview`, expected the real URL',
      'Empty link target on link `draft`, expected the real URL',
    ]);
  });

  it('shows both forms of a changed phone number and of a retyped email address', () => {
    const message = (rule: string) => broken.find((f) => f.rule === rule)!.message;
    expect(message('phone-changed')).toBe(
      'Phone number `+32 9 123 45 67` changed to `+32 (0)9 123 45 76` in the nl translation of `history.for-questions-call-32`, expected it unchanged',
    );
    expect(message('email-changed')).toBe(
      'Email address `press@acme.be` changed to `pers@acme.be` in the nl translation of `history.jane-peeters-press-officer`, expected it unchanged',
    );
    expect(message('name-changed')).toBe(
      'Name `Jane Peeters` is changed in the nl translation of `history.jane-peeters-press-officer` (found `Jane Peters`), expected it unchanged',
    );
  });

  it('suggests the nearest heading id for a mistyped fragment, here or in another statement, and the https address for a bare domain', () => {
    expect(broken.filter((f) => f.rule === 'link-fragment').map((f) => f.message)).toEqual([
      'Fragment `#histroy` matches no heading id of this statement, did you mean `history`?',
      'Fragment `#teh-plan` matches no heading id of statement `other`, did you mean `the-plan`?',
    ]);
    expect(broken.find((f) => f.at === `${S}:17:5`)!.message).toBe('Relative link `www.acme.be` looks like a web address, did you mean `https://www.acme.be`?');
  });

  it('reports a problem of the shared skeleton once, on the statement, not once per locale', () => {
    const skeleton = broken.filter((f) => f.rule.startsWith('link-') && f.rule !== 'link-changed');
    expect(skeleton.every((f) => f.at.startsWith(S))).toBe(true);
    const places = skeleton.map((f) => `${f.at} ${f.rule}`);
    expect(new Set(places).size).toBe(places.length);
  });
});
