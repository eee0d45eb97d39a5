/** What the panel says of a report the background trimmed to its storage budget (background/state/report-budget.ts). Pure. */
import type { PageReport } from '../../shared/protocol/model.ts';

/** The panel's sentence for a trimmed report, or null when nothing was left out. */
export function trimmedText(trimmed: PageReport['trimmed']): string | null {
  if (!trimmed || (trimmed.events <= 0 && trimmed.args <= 0)) return null;
  const events = `${trimmed.events} older ${trimmed.events === 1 ? 'event' : 'events'}`;
  const args = `the arguments of ${trimmed.args} ${trimmed.args === 1 ? 'call' : 'calls'}`;
  const what =
    trimmed.events > 0 && trimmed.args > 0
      ? `${events} and ${args} were left out`
      : trimmed.events > 0
        ? `${events} ${trimmed.events === 1 ? 'was' : 'were'} left out`
        : `${args} were left out`;
  return `This report was trimmed to stay within the browser's storage limit: ${what}.`;
}
