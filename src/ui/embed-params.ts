/**
 * The embed keys of the page's URL: `?panel=race` shows one figure alone, filling its frame (an
 * <iframe> in slides or another page). Pure parsing, no DOM: every value is checked, anything
 * unexpected becomes a note, never an exception or a blank frame.
 *
 *   panel=<figure id>                       the figure to show (view/figures.ts; required for embed mode)
 *   controls=gamma,beta                     sliders shown in a compact bar; other parameters stay at the URL's values
 *   autoplay=1                              replay the run (or the scene's window) once the numbers are there
 *   loop=1                                  start the replay again at its end
 *   large=1                                 large text, for projectors (also on the main page)
 *   bg=transparent                          no background of its own (the slide shows through); only with theme=light|dark,
 *                                           since the text colours must fit what is behind them. Default: the theme's opaque background.
 */
import { PARAMS, type ParamKey } from '../sim/params';
import { quote } from '../sim/quote';
import { type FigureId, isFigureId } from '../view/figures';

export interface EmbedParams {
  /** The figure asked for, or null when `panel` names none (the embed says so). */
  panel: FigureId | null;
  /** What `panel` said, cut to a readable length (for the message). */
  asked: string;
  /** Numeric parameters whose sliders the embed shows, in the order asked. */
  controls: ParamKey[];
  autoplay: boolean;
  loop: boolean;
  /** Whether the frame has no background of its own (`bg=transparent`, granted only with a `theme`). */
  transparent: boolean;
  /** What was ignored or changed, one sentence each. */
  notes: string[];
}

/** Parameters that have a slider (enums have none). */
const SLIDER_KEYS = PARAMS.filter((p) => p.kind !== 'enum').map((p) => p.key);


/** A yes/no key: absent or 0/false/no is no, 1/true/yes (or the bare key) is yes; anything else is no, with a note. */
export function readFlag(query: URLSearchParams, key: string, notes: string[]): boolean {
  const raw = query.get(key);
  if (raw === null) return false;
  const v = raw.trim().toLowerCase();
  if (v === '' || v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '0' || v === 'false' || v === 'no') return false;
  notes.push(`${key} must be 1 or 0 (got "${quote(raw)}"); using 0`);
  return false;
}

/** Large text for projectors: `?large=1`, on the main page and in embeds. */
export function readLarge(search: string): boolean {
  return readFlag(new URLSearchParams(search), 'large', []);
}

/**
 * `bg=transparent` lets the slide show through. Text colours follow the theme, so a transparent frame
 * without a theme would put dark-mode text on whatever the host has: it needs `theme=light|dark`.
 */
function readBackground(query: URLSearchParams, notes: string[]): boolean {
  const raw = query.get('bg');
  if (raw === null) return false;
  const v = raw.trim().toLowerCase();
  if (v === 'opaque' || v === '') return false;
  if (v !== 'transparent') {
    notes.push(`bg must be transparent or opaque (got "${quote(raw)}"); using opaque`);
    return false;
  }
  const theme = query.get('theme');
  if (theme !== 'light' && theme !== 'dark') {
    notes.push('bg=transparent needs theme=light or theme=dark (the text colours must fit the slide behind); using an opaque background');
    return false;
  }
  return true;
}

/** The embed keys of a query string; null when the page is not an embed (no `panel` key). */
export function readEmbed(search: string): EmbedParams | null {
  const query = new URLSearchParams(search);
  const asked = query.get('panel');
  if (asked === null) return null;
  const notes: string[] = [];
  const id = asked.trim().toLowerCase();
  const panel = isFigureId(id) ? id : null;

  const controls: ParamKey[] = [];
  const unknown: string[] = [];
  for (const piece of (query.get('controls') ?? '').split(',')) {
    const key = piece.trim();
    if (!key) continue;
    const known = SLIDER_KEYS.find((k) => k === key);
    if (known === undefined) unknown.push(quote(key));
    else if (!controls.includes(known)) controls.push(known);
  }
  if (unknown.length) {
    const shown = unknown.slice(0, 5).map((k) => `"${k}"`).join(', ') + (unknown.length > 5 ? `, … (${unknown.length} in all)` : '');
    notes.push(`controls: no slider for ${shown}; sliders exist for ${SLIDER_KEYS.join(', ')}`);
  }
  const autoplay = readFlag(query, 'autoplay', notes);
  const loop = readFlag(query, 'loop', notes);
  const transparent = readBackground(query, notes);
  return { panel, asked: quote(asked), controls, autoplay, loop, transparent, notes };
}
