/**
 * How the rule families report: each finding goes through one reporter that
 * applies the configured severity of its rule (or drops it when the rule is
 * off), turns warnings into errors under `--strict`, and reports a finding
 * only once per file and place, however many locales run into it.
 */
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { report, type Diagnostics } from '../diagnostics.ts';
import { isRuleId, RULES, type ResolvedChecks, type RuleId } from './settings.ts';

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
  const severityOf = (rule: RuleId) => {
    const setting = checks.rules[rule] ?? RULES[rule].severity;
    return setting === 'warning' && strict ? 'error' : setting;
  };
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

/**
 * Apply the configured severities to what the core stages reported with
 * their own defaults (`missing-translation`, `stale-translation`,
 * `tag-mismatch`): a rule set to off is removed, others get its severity;
 * under `strict` every remaining warning counts as an error.
 */
export function applyRuleSettings(diagnostics: Diagnostics, checks: ResolvedChecks, strict: boolean): void {
  for (const file of diagnostics.files) {
    file.messages = file.messages.filter((message) => {
      const rule = message.ruleId;
      const setting = rule && isRuleId(rule) ? checks.rules[rule] : undefined;
      if (setting === 'off') return false;
      if (setting && message.fatal != null) message.fatal = setting === 'error';
      if (strict && message.fatal === false) message.fatal = true;
      return true;
    });
  }
}
