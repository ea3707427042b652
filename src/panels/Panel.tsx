import { type ReactNode, useContext } from 'react';
import { FIGURES, type FigureId } from '../view/figures';
import { PanelToolsContext } from '../view/panel-tools';

interface PanelFrameProps {
  id: FigureId;
  /** One sentence: what the figure shows. */
  caption: ReactNode;
  /** Legend entries, shown above the plot. */
  legend?: ReactNode;
  highlighted?: boolean;
  children: ReactNode;
}

/** The frame every figure shares: a <figure> titled from the figure registry, with its legend and caption. */
export function PanelFrame({ id, caption, legend, highlighted = false, children }: PanelFrameProps) {
  const tools = useContext(PanelToolsContext);
  return (
    <figure className={`panel panel-${id}${highlighted ? ' highlighted' : ''}`} data-panel={id} aria-labelledby={`panel-${id}-title`}>
      <h3 id={`panel-${id}-title`} className="panel-title">
        {FIGURES[id].title}
      </h3>
      {legend && <div className="legend">{legend}</div>}
      {children}
      <figcaption>{caption}</figcaption>
      {tools && <div className="panel-tools">{tools(id)}</div>}
    </figure>
  );
}
