/**
 * The one place that decides how severe a finding is. Stages report with the
 * rule's default severity (reassemble cannot see the config's rules: it runs
 * before this stage); every command that returns findings (build, check,
 * publish) passes them through `applySeverities` before counting them, so a
 * rule set in `checks.rules` reads the same whichever command found it.
 */
import { severityOf, type Diagnostics, type Severity } from '../diagnostics.ts';
import { isRuleId, RULES, type ResolvedChecks } from './settings.ts';

/**
 * The severity of a finding of `rule` that its stage reported as `reported`,
 * or `off` when it is not to be reported. A rule of the RULES table gets its
 * setting in `checks.rules`, else its default; any other rule keeps what its
 * stage reported. Under `strict` a warning counts as an error; an
 * informational message stays one (unless its rule is off).
 */
export function decideSeverity(rule: string | null | undefined, reported: Severity, checks: Pick<ResolvedChecks, 'rules'>, strict: boolean): Severity | 'off' {
  const setting = rule && isRuleId(rule) ? (checks.rules[rule] ?? RULES[rule].severity) : undefined;
  if (setting === 'off') return 'off';
  if (reported === 'info') return 'info';
  const severity = setting ?? reported;
  return strict && severity === 'warning' ? 'error' : severity;
}

/**
 * Give every message of `diagnostics` its decided severity and drop those of
 * rules set to off. Deciding twice changes nothing, so findings already
 * decided (the check reporter's, or build's and check's merged by publish)
 * may pass again.
 */
export function applySeverities(diagnostics: Diagnostics, checks: Pick<ResolvedChecks, 'rules'>, strict: boolean): void {
  for (const file of diagnostics.files) {
    file.messages = file.messages.filter((message) => {
      const severity = decideSeverity(message.ruleId, severityOf(message), checks, strict);
      if (severity === 'off') return false;
      if (severity !== 'info') message.fatal = severity === 'error';
      return true;
    });
  }
}

/** vfile's `fatal`: true an error, false a warning, otherwise information. */
