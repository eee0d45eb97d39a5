import { useState } from 'preact/hooks';
import type { Diagnosis } from '../../shared/analysis/index.ts';
import { copyText, downloadText } from '../clipboard.ts';
import { buildReport, toMarkdown } from '../format/report-export.ts';

export function ExportBar({ diagnosis, version }: { diagnosis: Diagnosis; version: string }) {
  const [includeToken, setIncludeToken] = useState(false);
  const [message, setMessage] = useState('');
  const make = () => buildReport(diagnosis, { includeToken, generatedAt: new Date(), toolVersion: version });
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
  const act = async (what: 'json' | 'md', how: 'copy' | 'download') => {
    const report = make();
    const text = what === 'json' ? `${JSON.stringify(report, null, 2)}\n` : toMarkdown(report);
    if (how === 'copy') setMessage((await copyText(text)) ? `${what === 'json' ? 'JSON' : 'Markdown'} report copied.` : 'Copy failed: use Download.');
    else {
      downloadText(text, `talk-inspector-${stamp()}.${what === 'json' ? 'json' : 'md'}`, what === 'json' ? 'application/json' : 'text/markdown');
      setMessage('Report downloaded.');
    }
  };
  return (
    <section class="card export" aria-labelledby="export-title">
      <h2 id="export-title">Export report</h2>
      <div class="row">
        <button type="button" onClick={() => act('json', 'copy')} data-testid="copy-json">
          Copy JSON
        </button>
        <button type="button" onClick={() => act('json', 'download')}>
          Download JSON
        </button>
        <button type="button" onClick={() => act('md', 'copy')} data-testid="copy-md">
          Copy Markdown
        </button>
        <button type="button" onClick={() => act('md', 'download')}>
          Download Markdown
        </button>
        <label class="check">
          <input type="checkbox" checked={includeToken} onChange={(e) => setIncludeToken((e.target as HTMLInputElement).checked)} data-testid="include-token" />{' '}
          Include the token (otherwise only its fingerprint)
        </label>
      </div>
      <p class="muted small" role="status" aria-live="polite">
        {message}
      </p>
    </section>
  );
}
