import { type ReactNode, createContext } from 'react';

/**
 * Controls a figure's frame may carry (copy embed code, exports), provided by the page: panels draw,
 * the page decides what a reader can do with a drawing. Default: none (tests, embeds).
 */
export const PanelToolsContext = createContext<((panelId: string) => ReactNode) | null>(null);
