/**
 * Progress on stderr while pages are checked: a bar redrawn in place when stderr is a terminal,
 * one line per page when it is not (CI logs keep every line), nothing with --quiet.
 */
import { visible } from '../../src/panel/format/visible-text.ts';
import type { PageResult } from './run.ts';

export interface ProgressOut {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  page(r: PageResult): void;
  /** A message of its own (a warning, shown even with --quiet), without breaking the bar. */
  note(text: string): void;
  /** Runs `write` (output for stdout, which may be the same terminal) with the bar out of the way, then redraws it. */
  around(write: () => Promise<void>): Promise<void>;
  end(): void;
}

const VERDICT_WORD = (r: PageResult): string => (r.ok ? r.diagnosis.verdict.kind : `error (${r.error.kind})`);

export function createProgress(out: ProgressOut, total: number, mode: 'auto' | 'none' = 'auto'): Progress {
  let done = 0;
  let notAsExpected = 0;
  const started = Date.now();
  const tty = mode === 'auto' && out.isTTY === true;
  let drawn = false;
  let lastUrl = '';

  const bar = (last: string): void => {
    lastUrl = last;
    const columns = out.columns || 80; // 0 or unknown: a pseudo-terminal that does not say
    const width = Math.max(10, Math.min(30, columns - 50));
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const secs = Math.round((Date.now() - started) / 1000);
    const head = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${notAsExpected ? `${notAsExpected} not as expected ` : ''}${secs}s `;
    const room = Math.max(0, columns - head.length - 1);
    out.write(`\r\u001b[2K${head}${last.length > room ? `${last.slice(0, Math.max(0, room - 1))}…` : last}`);
    drawn = true;
  };

  return {
    page(r) {
      done++;
      if (!r.check.asExpected) notAsExpected++;
      if (mode === 'none') return;
      if (tty) bar(visible(r.url));
      else {
        const mark = r.check.asExpected ? 'ok' : 'NOT AS EXPECTED';
        out.write(`[${done}/${total}] ${VERDICT_WORD(r)} ${visible(r.url)} (${(r.check.durationMs / 1000).toFixed(1)} s) ${mark}\n`);
      }
    },
    note(text) {
      if (tty && drawn) out.write('\r\u001b[2K');
      out.write(`${text}\n`);
      drawn = false;
    },
    async around(write) {
      const redraw = tty && drawn;
      if (redraw) out.write('\r\u001b[2K');
      await write();
      if (redraw) bar(lastUrl);
    },
    end() {
      if (tty && drawn) out.write('\r\u001b[2K');
      drawn = false;
    },
  };
}
