import { type ComponentType, type ReactNode, useId, useState } from 'react';
import { useParams } from '../state/params';
import { usePlayback } from '../state/playback';
import { shareUrl } from '../state/url';
import { ExportMenu } from './ExportMenu';
import './panel-tools.css';

/** One control in a figure's frame on the main page; `panelId` is the figure's id (race, feature, …). */
export type PanelTool = ComponentType<{ panelId: string }>;

const PANEL_NAMES: Record<string, string> = {
  race: 'the race of the training examples',
  feature: 'the feature learned',
  memory: 'the gradient along the feature and the momentum buffer',
  errors: 'train and test errors',
  data: 'one example of the data',
};

/**
 * The embed's address for a figure as it is now: this page's address with the current parameters,
 * the seed, the scene and the shown step (as "Share this view"), plus `panel`.
 */
export function embedUrl(href: string, panelId: string): string {
  const { scene, pinned } = usePlayback.getState();
  const url = new URL(shareUrl(href, useParams.getState().config, { scene, t: pinned === null ? null : Math.round(pinned) }));
  url.hash = '';
  url.searchParams.set('panel', panelId);
  return url.toString();
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The <iframe> to paste into slides or another page. */
export function embedCode(src: string, panelId: string): string {
  const title = `Why momentum generalizes: ${PANEL_NAMES[panelId] ?? panelId}`;
  return `<iframe src="${escapeAttribute(src)}" width="800" height="500" style="border:0" title="${escapeAttribute(title)}" allow="fullscreen"></iframe>`;
}

/** Copies the figure's <iframe> code; shows it in a read-only field too, for when the clipboard refuses. */
export function CopyEmbedCode({ panelId }: { panelId: string }) {
  const [code, setCode] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const id = useId();
  const copy = () => {
    const text = embedCode(embedUrl(location.href, panelId), panelId);
    setCode(text);
    setCopied(null);
    if (!navigator.clipboard) return setCopied(false);
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="panel-tool embed-code">
      <button type="button" onClick={copy}>
        Copy embed code
      </button>
      {code !== null && (
        <>
          <label htmlFor={id} className="visually-hidden">
            Embed code for this figure
          </label>
          <input id={id} data-testid={`embed-code-${panelId}`} readOnly value={code} onFocus={(e) => e.currentTarget.select()} />
          <span role="status" className="note">
            {copied === true ? 'Embed code copied.' : copied === false ? 'Copy the code above.' : ''}
          </span>
        </>
      )}
    </div>
  );
}

/** Every tool a figure's frame carries on the main page, in order; add a tool by adding it here. */
export const PANEL_TOOLS: PanelTool[] = [CopyEmbedCode, ExportMenu];

/** The value for PanelToolsContext: the tools of one figure. */
export function renderPanelTools(panelId: string, tools: readonly PanelTool[] = PANEL_TOOLS): ReactNode {
  return tools.map((Tool, k) => <Tool key={k} panelId={panelId} />);
}
