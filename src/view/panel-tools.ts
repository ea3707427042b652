import { type ReactNode, createContext } from 'react';
import type { FigureId } from './figures';

/**
 * Controls a figure's frame may carry (copy embed code, exports), provided by the page: panels draw,
 * the page decides what a reader can do with a drawing. Default: none (tests, embeds).
 */
export const PanelToolsContext = createContext<((panelId: FigureId) => ReactNode) | null>(null);
