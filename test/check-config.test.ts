/**
 * The `checks` section of the config: severities per rule, placeholder
 * strictness, allowlists, intentionally identical translations, and
 * `--strict`; a mistake in the section is a clear config error.
 */
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../pipeline/config.ts';
import { PipelineError } from '../pipeline/diagnostics.ts';
import { check, copyFixture, placesOf } from './check-support.ts';

const S = 'statements/broken.md';

describe('check configuration', () => {
  it('sets the severity of each rule from the config, and leaves out rules set to off', async () => {
    const root = await copyFixture('check-broken');
    const { all } = await check(
      root,
      {},
      {
        checks: {
          rules: { 'link-insecure': 'error', untranslated: 'off', 'stale-translation': 'error', 'missing-translation': 'off', 'link-malformed': 'warning' },
        },
      },
    );
    expect(placesOf(all, 'link-insecure')).toEqual([`${S}:17:76 error`]);
    expect(placesOf(all, 'untranslated')).toEqual([]);
    expect(placesOf(all, 'stale-translation')).toEqual(['locales/nl/broken.json:13:3 error']);
    expect(placesOf(all, 'missing-translation')).toEqual([]);
    expect(placesOf(all, 'link-malformed')).toEqual([`${S}:17:5 warning`, `${S}:17:32 warning`]);
  });

  it('makes placeholder links errors with strictPlaceholders, other warnings staying warnings', async () => {
    const root = await copyFixture('check-broken');
    const { all } = await check(root, {}, { checks: { strictPlaceholders: true } });
    expect(placesOf(all, 'link-placeholder').every((place) => place.endsWith(' error'))).toBe(true);
    expect(placesOf(all, 'link-insecure')).toEqual([`${S}:17:76 warning`]);
  });

  it('turns every warning into an error with --strict', async () => {
    const root = await copyFixture('check-broken');
    const { report, all } = await check(root, { strict: true });
    expect(report.warnings).toBe(0);
    expect(all.filter((finding) => finding.severity === 'warning')).toEqual([]);
    expect(placesOf(all, 'link-placeholder')).toHaveLength(5);
    expect(placesOf(all, 'link-placeholder').every((place) => place.endsWith(' error'))).toBe(true);
  });

  it('never reports allowlisted URLs and domains', async () => {
    const root = await copyFixture('check-broken');
    const { all } = await check(root, {}, { checks: { allowDomains: ['example.com'], allowUrls: ['http://www.acme.be/*'] } });
    expect(all.filter((finding) => finding.message.includes('example.com'))).toEqual([]);
    expect(placesOf(all, 'link-insecure')).toEqual([]);
    expect(placesOf(all, 'link-placeholder')).toHaveLength(4);
  });

  it('accepts a translation identical to the source when its key is marked as intentionally identical', async () => {
    const root = await copyFixture('check-broken');
    const { all } = await check(root, {}, { checks: { allowIdentical: ['broken:history.our-new-offices-are'] } });
    expect(placesOf(all, 'untranslated')).toEqual([]);
  });

  it('rejects an unknown rule or a bad value in the checks section, with a suggestion', async () => {
    const root = await copyFixture('check-clean');
    await writeFile(
      path.join(root, 'statements.config.json'),
      JSON.stringify({ checks: { rules: { 'link-placeholdr': 'error', 'image-alt': 'fatal' }, allowUrls: 'x' } }),
    );
    const failure = await loadConfig(root).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PipelineError);
    expect((failure as PipelineError).files[0]!.messages.map((message) => message.reason)).toEqual([
      'Unknown rule `link-placeholdr` in `checks.rules`, did you mean `link-placeholder`?',
      'Unexpected `checks.rules.image-alt`, expected `"error"`, `"warning"` or `"off"`',
      'Unexpected `checks.allowUrls`, expected a list of strings',
    ]);
  });
});
