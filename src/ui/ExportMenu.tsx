import { useMemo, useRef, useState } from 'react';
import { mapCsv, mapJson } from '../sim/sweep-file';
import { sweepCells } from '../sim/sweep';
import { panelDataOf, shownStepNow } from '../state/selectors';
import { useSweep } from '../state/sweep';
import { useTraining } from '../state/training';
import { download, exportName, traceCsv, traceJsonText } from './export/data';
import { webmType } from './export/webm';
import { FIGURES, type FigureId } from '../view/figures';
import './ExportMenu.css';

type Format = 'png' | 'svg' | 'csv' | 'json' | 'webm';

/**
 * Export one figure: PNG (2x) and SVG of the figure as shown, the trace behind it as CSV and JSON,
 * and a WebM video of it replaying from step 0. The figure is found in the page by its
 * `data-panel` attribute when a button is pressed.
 */
export function ExportMenu({ panelId }: { panelId: FigureId }) {
  const [busy, setBusy] = useState<Format | null>(null);
  const [message, setMessage] = useState('');
  const abort = useRef<AbortController | null>(null);
  const webm = useMemo(() => webmType(), []);
  const { name, hasTime } = FIGURES[panelId];

  const figure = () => [...document.querySelectorAll<HTMLElement>('[data-panel]')].find((el) => el.dataset.panel === panelId) ?? null;

  const run = async (format: Format) => {
    if (format === 'webm' && busy === 'webm') {
      abort.current?.abort();
      return;
    }
    if (busy) return;
    if (format === 'webm' && !webm) return setMessage('This browser cannot record WebM video.');
    const el = figure();
    if (!el) return setMessage('The figure is not on the page.');
    setBusy(format);
    setMessage(format === 'webm' ? 'Recording the replay…' : '');
    try {
      const t = shownStepNow();
      let blob: Blob;
      let file: string;
      if (format === 'png') {
        // The image and video code loads on first use: it is not needed to read the page.
        const { panelPng } = await import('./export/image');
        blob = await panelPng(el, 2);
        file = exportName(panelId, 'png', t);
      } else if (format === 'svg') {
        const { panelSvg } = await import('./export/image');
        blob = new Blob([panelSvg(el).svg], { type: 'image/svg+xml' });
        file = exportName(panelId, 'svg', t);
      } else if (format === 'webm') {
        abort.current = new AbortController();
        const { recordPanel } = await import('./export/record');
        blob = await recordPanel(el, { signal: abort.current.signal });
        file = exportName(panelId, 'webm');
      } else if (FIGURES[panelId].data === 'map') {
        // The map's own numbers, not the live pair's trace
        const { trace, source, engine } = useSweep.getState();
        if (!trace?.ts.length) return setMessage('No map yet.');
        blob =
          format === 'csv'
            ? new Blob([mapCsv(sweepCells(trace).flat())], { type: 'text/csv' })
            : new Blob([mapJson(trace, `${source === 'precomputed' ? 'computed at build time' : 'computed in this browser'} (${engine ?? 'tfjs'})`)], { type: 'application/json' });
        file = exportName(panelId, format);
      } else {
        const data = panelDataOf(useTraining.getState());
        if (!data) return setMessage('No numbers yet.');
        blob =
          format === 'csv'
            ? new Blob([traceCsv(data)], { type: 'text/csv' })
            : new Blob([traceJsonText(data, t)], { type: 'application/json' });
        file = exportName(panelId, format);
      }
      download(blob, file);
      setMessage(`Saved ${file}.`);
    } catch (e) {
      setMessage(e instanceof DOMException && e.name === 'AbortError' ? 'Recording stopped.' : `Export failed: ${(e as Error).message}`);
    } finally {
      abort.current = null;
      setBusy(null);
    }
  };

  const button = (format: Format, label: string, aria: string) => (
    <button
      type="button"
      className="export-button"
      data-export={format}
      aria-label={aria}
      aria-disabled={busy !== null && !(format === 'webm' && busy === 'webm') ? true : undefined}
      onClick={() => void run(format)}
    >
      {label}
    </button>
  );

  return (
    <div className="panel-tool export-menu" role="group" aria-label={`Export ${name}`} data-testid={`export-${panelId}`}>
      <span className="export-lead" aria-hidden="true">
        Export
      </span>
      {button('png', 'PNG', `Save ${name} as a PNG image`)}
      {button('svg', 'SVG', `Save ${name} as an SVG drawing`)}
      {button('csv', 'CSV', `Save the numbers behind ${name} as CSV`)}
      {button('json', 'JSON', `Save the numbers behind ${name} as JSON`)}
      {!hasTime
        ? null // nothing to replay
        : webm
        ? busy === 'webm'
          ? button('webm', 'Stop', `Stop recording ${name}`)
          : button('webm', 'WebM', `Record ${name} replaying from step 0 as a WebM video`)
        : button('webm', 'WebM: not supported', `Recording ${name} as WebM video is not supported in this browser`)}
      <span className="export-status note" role="status" data-testid={`export-status-${panelId}`}>
        {message}
      </span>
    </div>
  );
}
