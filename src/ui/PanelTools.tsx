import type { ComponentType, ReactNode } from 'react';
import { CopyButton } from './CopyButton';
import { ExportMenu } from './ExportMenu';
import { viewLink } from './ShareButton';
import { FIGURES, type FigureId } from '../view/figures';
import './panel-tools.css';

/** One control in a figure's frame on the main page; `panelId` is the figure's id (race, feature, …). */
export type PanelTool = ComponentType<{ panelId: FigureId }>;

/**
 * The embed's address for a figure as it is now: this page's address with the current parameters,
 * the seed, the scene and the shown step (as "Share this view"), plus `panel`.
 */
export function embedUrl(href: string, panelId: FigureId): string {
  const url = new URL(viewLink(href));
  url.hash = '';
  url.searchParams.set('panel', panelId);
  return url.toString();
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The <iframe> to paste into slides or another page. */
export function embedCode(src: string, panelId: FigureId): string {
  const title = `Why momentum generalizes: ${FIGURES[panelId].embedTitle}`;
  return `<iframe src="${escapeAttribute(src)}" width="800" height="500" style="border:0" title="${escapeAttribute(title)}" allow="fullscreen"></iframe>`;
}

/** Copies the figure's <iframe> code; shows it in a read-only field too, for when the clipboard refuses. */
export function CopyEmbedCode({ panelId }: { panelId: FigureId }) {
  return (
    <CopyButton
      label="Copy embed code"
      text={() => embedCode(embedUrl(location.href, panelId), panelId)}
      fieldLabel="Embed code for this figure"
      copiedText="Embed code copied."
      refusedText="Copy the code above."
      className="panel-tool embed-code"
      testId={`embed-code-${panelId}`}
    />
  );
}

/** Every tool a figure's frame carries on the main page, in order; add a tool by adding it here. */
export const PANEL_TOOLS: PanelTool[] = [CopyEmbedCode, ExportMenu];

/**
 * The value for PanelToolsContext: the tools of one figure, folded into one "Share / export" menu
 * (a real <details>: keyboard and screen readers know it) so that a figure is not followed by a row
 * of buttons.
 */
export function renderPanelTools(panelId: FigureId, tools: readonly PanelTool[] = PANEL_TOOLS): ReactNode {
  return (
    <details className="share-export" data-testid={`share-export-${panelId}`}>
      <summary aria-label={`Share or export ${FIGURES[panelId].name}`}>Share / export</summary>
      <div className="share-export-body">
        {tools.map((Tool, k) => (
          <Tool key={k} panelId={panelId} />
        ))}
      </div>
    </details>
  );
}
