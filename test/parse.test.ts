import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../pipeline/config.ts';
import { Diagnostics, formatReport } from '../pipeline/diagnostics.ts';
import { type StatementEntry } from '../pipeline/project/project.ts';
import { loadStatement } from '../pipeline/parse/cache.ts';
import { parseStatement } from '../pipeline/parse/parse.ts';
import { makeProject } from './helpers.ts';

const text = '---\ntitle: Title\ndate: "2024-01-01"\nlocales: [nl, de]\n---\n\nSome *text*.\n';

describe('parsing with the tree cache', () => {
  it('reads back the same statement it parsed, and parses again when the text changes', async () => {
    const root = await makeProject({ 'statements/s.md': text });
    const config = resolveConfig({ locales: ['nl', 'de', 'en'] }, root);
    const entry: StatementEntry = { slug: 's', file: path.join(root, 'statements/s.md') };
    const parsed = loadStatement(entry, text, config, new Diagnostics(root))!;
    const cacheFile = path.join(root, '.cache/trees/s.json');
    const record = await readFile(cacheFile, 'utf8');
    const cached = loadStatement(entry, text, config, new Diagnostics(root))!;
    expect(cached.tree).toEqual(parsed.tree);
    expect(cached.frontMatter).toEqual(parsed.frontMatter);
    expect({ ...cached, file: undefined }).toEqual({ ...parsed, file: undefined });
    expect(cached).toEqual({ ...parseStatement(text, { path: entry.file, cwd: root, config }), file: cached.file });

    const edited = text.replace('Some', 'Other');
    expect(loadStatement(entry, edited, config, new Diagnostics(root))!.tree).toMatchObject({ children: [{}, { children: [{ value: 'Other ' }, {}, {}] }] });
    expect(await readFile(cacheFile, 'utf8')).not.toBe(record);
  });

  it('validates again when the settings change, so a cached parse never hides an error', async () => {
    const root = await makeProject({ 'statements/s.md': text });
    const entry: StatementEntry = { slug: 's', file: path.join(root, 'statements/s.md') };
    expect(loadStatement(entry, text, resolveConfig({ locales: ['nl', 'de', 'en'] }, root), new Diagnostics(root))).toBeDefined();
    const diagnostics = new Diagnostics(root);
    expect(loadStatement(entry, text, resolveConfig({}, root), diagnostics)).toBeUndefined();
    expect(formatReport(diagnostics.files, root)).toContain('statements/s.md:4:15  error  Unknown locale `de` in `locales`');
  });

  it('parses again when the cached tree is corrupt', async () => {
    const root = await makeProject({ 'statements/s.md': text });
    const config = resolveConfig({ locales: ['nl', 'de', 'en'] }, root);
    const entry: StatementEntry = { slug: 's', file: path.join(root, 'statements/s.md') };
    const parsed = loadStatement(entry, text, config, new Diagnostics(root))!;
    await writeFile(path.join(root, '.cache/trees/s.json'), '{ "key": ');
    expect(loadStatement(entry, text, config, new Diagnostics(root))!.tree).toEqual(parsed.tree);
  });
});
