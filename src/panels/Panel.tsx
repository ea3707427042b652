import { type ReactNode, useContext } from 'react';
import { PanelToolsContext } from './tools';

interface PanelFrameProps {
  id: string;
  title: string;
  /** One sentence: what the figure shows. */
  caption: ReactNode;
  /** Legend entries, shown above the plot. */
  legend?: ReactNode;
  highlighted?: boolean;
  children: ReactNode;
}

/** The frame every figure shares: a titled <figure> with its legend and caption. */
export function PanelFrame({ id, title, caption, legend, highlighted = false, children }: PanelFrameProps) {
  const tools = useContext(PanelToolsContext);
  return (
    <figure className={`panel panel-${id}${highlighted ? ' highlighted' : ''}`} data-panel={id} aria-labelledby={`panel-${id}-title`}>
      <h3 id={`panel-${id}-title`} className="panel-title">
        {title}
      </h3>
      {legend && <div className="legend">{legend}</div>}
      {children}
      <figcaption>{caption}</figcaption>
      {tools && <div className="panel-tools">{tools(id)}</div>}
    </figure>
  );
}
