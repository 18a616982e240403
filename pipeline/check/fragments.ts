/**
 * Fragments: `#id` in a link must match a heading id of the page it points
 * to, as the HTML renderer generates them (`headingIds`, the same in every
 * locale). Checked once, on the source tree, against this statement or the
 * statement a relative link leads to.
 */
import type { VFile } from 'vfile';
import type { LinkUse } from './find.ts';
import type { Reporter } from './report.ts';
import { suggest } from './settings.ts';
import { splitUrl, type ProjectIndex } from './targets.ts';

export async function checkFragments(uses: LinkUse[], fromFile: string, file: VFile, index: ProjectIndex, report: Reporter): Promise<void> {
  if (!report.enabled('link-fragment')) return;
  for (const use of uses) {
    const { fragment } = splitUrl(use.url);
    if (!fragment) continue; // `#` alone is a placeholder, not a fragment
    const target = index.resolve(use.url, fromFile);
    if (target.kind !== 'statement') continue;
    const ids = await index.ids(target.slug);
    if (!ids || ids.includes(fragment)) continue;
    const page = use.url.startsWith('#') ? 'this statement' : `statement \`${target.slug}\``;
    const known = ids.length === 0 ? `; ${page} has no headings` : suggest(fragment, ids);
    report(file, 'link-fragment', `Fragment \`#${fragment}\` matches no heading id of ${page}${known}`, use.position);
  }
}
