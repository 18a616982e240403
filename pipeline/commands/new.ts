/**
 * `statements new <slug>`: start a statement from a template with every
 * front-matter field and a short guide in comments (YAML `#` comments in the
 * front matter, an HTML comment in the body, neither ever published).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Diagnostics } from '../diagnostics.ts';
import { COMMON_NAMESPACE, findStatements, writeFileAtomic } from '../project/index.ts';
import { isSlug } from '../parse/index.ts';
import type { ResolvedConfig } from '../config.ts';

export type NewStatementResult = { file: string } | { problem: string };

/** The statement file `slug` starts as, dated `date` (`YYYY-MM-DD`). */
export function statementTemplate(slug: string, config: Pick<ResolvedConfig, 'sourceLocale' | 'locales'>, date: string): string {
  const others = config.locales.filter((locale) => locale !== config.sourceLocale);
  return `---
# Front matter: what the page, the PDF, the indexes and the feeds say about
# this statement. Lines starting with # are comments and never published.
title: "Title of the statement"
date: "${date}" # the day it is issued, YYYY-MM-DD
lang: ${config.sourceLocale} # the language you write in
summary: "One sentence for search results and the language index."
author: "Organisation name"
contact: # the press contact under the statement and in the PDF
  name: "First Last"
  role: "Press officer"
  email: "press@example.org"
  phone: "+32 2 555 01 23"
# locales: [${others.join(', ')}] # only these languages (default: every configured one)
---

<!--
Write the statement here in Markdown: paragraphs, ## headings, lists, tables,
[links](https://example.org/), footnotes[^1] and images ![alt text](images/photo.png)
(images live in the statements folder). End a line with \\ to keep a line break
(signature blocks). Link another statement as [its title](other-slug.md).
Keep the contact's email and phone as they are written above.

Then:
  npx statements extract          strings for translators in locales/<lng>/${slug}.json
  npx statements serve            preview at http://127.0.0.1:4321/, updated on save
  npx statements publish          check, build and publish what is ready
This comment is never published.
-->

The first paragraph of the statement.
`;
}

/**
 * Write `statements/<slug>.md` from the template, all or nothing. Refuses a
 * name that cannot be a slug, the reserved `common`, and a slug that exists.
 */
export async function newStatement(config: ResolvedConfig, slug: string, options: { now?: Date } = {}): Promise<NewStatementResult> {
  if (!isSlug(slug))
    return { problem: `Unexpected name \`${slug}\`, expected a slug of lowercase letters, digits and single dashes such as \`port-expansion\`` };
  if (slug === COMMON_NAMESPACE)
    return { problem: `Reserved slug \`${slug}\`: \`locales/<lng>/${slug}.json\` holds the interface strings, choose another name` };
  const file = path.join(config.statementsDir, `${slug}.md`);
  const existing = existsSync(config.statementsDir) ? await findStatements(config, new Diagnostics(config.root), [slug]) : [];
  const taken = existing[0]?.file ?? (existsSync(file) ? file : undefined);
  if (taken) return { problem: `Statement \`${slug}\` exists: \`${path.relative(config.root, taken)}\`; edit it, or choose another name` };
  const date = (options.now ?? new Date()).toISOString().slice(0, 10);
  await writeFileAtomic(file, statementTemplate(slug, config, date));
  return { file };
}
