import { BACKENDS, type BackendName } from '../engine/backend-names';
import { type Config, DEFAULT_CONFIG, PARAMS } from '../sim/params';
import { clampLineup, formatLineup } from '../sim/lineup';
import { type Lineup, PAIR } from '../sim/runs';
import { type SceneId, isSceneId } from '../sim/story';
import { quote } from '../sim/quote';
import { type ParamIssue, clampConfig } from '../sim/validate';

/** What the reader was looking at, beyond the parameters: restored from a shared link. */
export interface ViewState {
  scene: SceneId | null;
  /** The step shown; null: the latest. */
  t: number | null;
}

export const THEMES = ['auto', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export interface PageParams {
  config: Config;
  /** What the page changed in the URL's values, to say so. */
  notes: ParamIssue[];
  /** A tfjs backend forced with ?backend=, else null (automatic choice). */
  backend: BackendName | null;
  /** Training threads asked for with ?threads=1 or 2, else null (automatic: worker/engine.worker.ts). */
  threads: 1 | 2 | null;
  view: ViewState;
  /** Light or dark as the link asks; 'auto' follows the system. */
  theme: Theme;
  /** The runs: GD and GD+M, then the what-ifs of `runs=` (clamped into their ranges). */
  lineup: Lineup;
}

/** The keys this page reads besides the parameters (the embed keys are read by ui/embed-params.ts). */
const VIEW_KEYS = ['backend', 'threads', 'theme', 'scene', 't', 'runs'];

/**
 * Read the page's URL: parameters clamped into range (and the sizes into the bounds of
 * sim/bounds.ts), unknown keys ignored. Never throws; every value it quotes back is cut short.
 */
export function readUrl(search: string): PageParams {
  const query = new URLSearchParams(search);
  const raw = Object.fromEntries(PARAMS.filter((p) => query.has(p.key)).map((p) => [p.key, query.get(p.key)]));
  const { config, notes } = clampConfig(raw);
  for (const key of [...PARAMS.map((p) => p.key), ...VIEW_KEYS]) {
    const count = query.getAll(key).length;
    if (count > 1) notes.push({ key, message: `is given ${count} times; using the first` });
  }
  // A parameter's name in the wrong case is most likely a typo worth pointing out; other unknown keys
  // (a tracker's utm_source, the embed keys) are none of this reader's business.
  const known = new Set<string>([...PARAMS.map((p) => p.key), ...VIEW_KEYS]);
  const miscased = new Set<string>();
  for (const key of query.keys()) {
    if (known.has(key) || miscased.has(key)) continue;
    const meant = PARAMS.find((p) => p.key.toLowerCase() === key.toLowerCase());
    if (meant) {
      miscased.add(key);
      notes.push({ key: quote(key), message: `is not a parameter (did you mean ${meant.key}?); ignored` });
    }
  }
  const asked = query.get('backend');
  let backend: BackendName | null = null;
  if (asked && (BACKENDS as readonly string[]).includes(asked)) backend = asked as BackendName;
  else if (asked && asked !== 'auto') notes.push({ key: 'backend', message: `must be ${BACKENDS.join(', ')} or auto (got "${quote(asked)}"); choosing automatically` });
  const askedThreads = query.get('threads');
  const threads = askedThreads === '1' ? 1 : askedThreads === '2' ? 2 : null;
  if (askedThreads !== null && threads === null && askedThreads !== 'auto') notes.push({ key: 'threads', message: `must be 1, 2 or auto (got "${quote(askedThreads)}"); choosing automatically` });
  const askedTheme = query.get('theme') ?? 'auto';
  const theme = (THEMES as readonly string[]).includes(askedTheme) ? (askedTheme as Theme) : 'auto';
  if (theme !== askedTheme) notes.push({ key: 'theme', message: `must be ${THEMES.join(', ')} (got "${quote(askedTheme)}"); following the system` });
  const view = readView(query, config.T, notes);
  const runs = clampLineup(query.get('runs') ?? '', config);
  for (const message of runs.notes) notes.push({ key: 'runs', message });
  return { config, notes: oneNotePerKey(notes), backend, threads, view, theme, lineup: runs.lineup };
}

/** Two notes on one key (a clamped value given twice) become one: the page lists them by key. */
function oneNotePerKey(notes: ParamIssue[]): ParamIssue[] {
  const byKey = new Map<string, string[]>();
  for (const n of notes) byKey.set(n.key, [...(byKey.get(n.key) ?? []), n.message]);
  return [...byKey].map(([key, messages]) => ({ key, message: messages.join('; ') }));
}

function readView(query: URLSearchParams, T: number, notes: ParamIssue[]): ViewState {
  const view: ViewState = { scene: null, t: null };
  const scene = query.get('scene');
  if (scene !== null && isSceneId(scene)) view.scene = scene;
  else if (scene !== null) notes.push({ key: 'scene', message: `is not a scene of the story (got "${quote(scene)}"); showing the whole run` });
  const t = query.get('t');
  if (t !== null) {
    const x = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(t) ? Number(t) : Number.NaN;
    if (!Number.isFinite(x)) notes.push({ key: 't', message: `is not a step number (got "${quote(t)}"); showing the latest step` });
    else {
      view.t = Math.max(0, Math.min(T, Math.round(x)));
      if (view.t !== x) notes.push({ key: 't', message: `must be a whole step from 0 to T = ${T}; using ${view.t}` });
    }
  }
  return view;
}

/**
 * A link that reproduces the view: every parameter that differs from the defaults, the seed always
 * (so the link stays exact if the default seed ever changes), the scene and the shown step.
 */
export function shareUrl(href: string, config: Config, view: ViewState, lineup?: Lineup): string {
  const url = new URL(href);
  url.search = writeUrl(url.search, config, lineup);
  url.searchParams.set('seed', String(config.seed));
  for (const key of ['scene', 't'] as const) url.searchParams.delete(key);
  if (view.scene) url.searchParams.set('scene', view.scene);
  if (view.t !== null) url.searchParams.set('t', String(view.t));
  return url.toString();
}

/** The what-ifs of a lineup as `runs=` says them (GD and GD+M are always there); '' for the pair alone. */
export function lineupParam(lineup: Lineup): string {
  return formatLineup(lineup.filter((c) => !PAIR.includes(c.id)));
}

/** The URL query for a config (and a lineup, when given): only values that differ from the defaults, other keys kept. */
export function writeUrl(search: string, config: Config, lineup?: Lineup): string {
  const query = new URLSearchParams(search);
  for (const p of PARAMS) {
    if (config[p.key] === DEFAULT_CONFIG[p.key]) query.delete(p.key);
    else query.set(p.key, String(config[p.key]));
  }
  if (lineup) {
    const runs = lineupParam(lineup);
    if (runs) query.set('runs', runs);
    else query.delete('runs');
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
