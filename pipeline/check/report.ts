/**
 * How the rule families report: each finding goes through one reporter that
 * gives it the severity `decideSeverity` (severity.ts) decides for its rule,
 * skips rules that are off before they are computed, and reports a finding
 * only once per file and place, however many locales run into it.
 */
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { report } from '../diagnostics.ts';
import { RULES, type ResolvedChecks, type RuleId } from './settings.ts';
import { decideSeverity } from './severity.ts';

export interface Reporter {
  /** Whether `rule` is on at all: off rules are not even computed. */
  enabled(rule: RuleId): boolean;
  /** Report a finding of `rule` on `file`, at `place`, with an optional note (the source segment). */
  (file: VFile, rule: RuleId, reason: string, place?: Point | Position, note?: string): void;
  /** An informational message (no severity), e.g. a temporary redirect. */
  info(file: VFile, rule: RuleId, reason: string, place?: Point | Position): void;
}

export function createReporter(checks: ResolvedChecks, strict: boolean): Reporter {
  const seen = new WeakMap<VFile, Set<string>>();
  const severityOf = (rule: RuleId) => decideSeverity(rule, RULES[rule].severity, checks, strict);
  const once = (file: VFile, rule: RuleId, reason: string, place?: Point | Position) => {
    const start = place && 'start' in place ? place.start : place;
    const key = `${rule}\u0000${start?.line ?? 0}:${start?.column ?? 0}\u0000${reason}`;
    let keys = seen.get(file);
    if (!keys) seen.set(file, (keys = new Set()));
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  };
  const reporter = ((file, rule, reason, place, note) => {
    const severity = severityOf(rule);
    if (severity === 'off' || !once(file, rule, reason, place)) return;
    report(file, { reason, ruleId: rule, severity, place, note });
  }) as Reporter;
  reporter.enabled = (rule) => severityOf(rule) !== 'off';
  reporter.info = (file, rule, reason, place) => {
    if (severityOf(rule) === 'off' || !once(file, rule, reason, place)) return;
    report(file, { reason, ruleId: rule, severity: 'info', place });
  };
  return reporter;
}
