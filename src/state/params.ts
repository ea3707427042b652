import { create } from 'zustand';
import { clampLineup } from '../sim/lineup';
import type { Config, ParamKey } from '../sim/params';
import type { Lineup } from '../sim/runs';
import type { ParamIssue } from '../sim/validate';
import { type Theme, readUrl, writeUrl } from './url';

export interface ParamsState {
  config: Config;
  /** Adjustments made to values read from the URL, shown once to the reader. */
  notes: ParamIssue[];
  /** The runs trained side by side: GD, GD+M, then the what-ifs (sim/runs.ts, sim/lineup.ts). */
  lineup: Lineup;
}

const fromUrl = readUrl(typeof location === 'undefined' ? '' : location.search);

export const pageBackend = fromUrl.backend;

export const pageThreads = fromUrl.threads;

/** The scene and step a shared link asked for. */
export const pageView = fromUrl.view;

export const pageTheme = fromUrl.theme;

/** Show the page light, dark, or as the system says; the URL keeps the choice (for links and embeds). */
export function setTheme(theme: Theme): void {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  const url = new URL(location.href);
  if (theme === 'auto') url.searchParams.delete('theme');
  else url.searchParams.set('theme', theme);
  history.replaceState(null, '', url);
}

export const useParams = create<ParamsState>(() => ({ config: fromUrl.config, notes: fromUrl.notes, lineup: fromUrl.lineup }));

/** Change one parameter (already validated by its control); the URL follows. */
export function setParam<K extends ParamKey>(key: K, value: Config[K]): void {
  setParams({ [key]: value });
}

/** Change several parameters at once: one new configuration, one new pair of runs. */
export function setParams(values: Partial<Config>): void {
  const config = { ...useParams.getState().config, ...values };
  // a what-if's argument follows its range (K within [0, T], b within [1, N])
  const lineup = clampLineup(useParams.getState().lineup, config).lineup;
  useParams.setState({ config, lineup });
  history.replaceState(null, '', `${location.pathname}${writeUrl(location.search, config, lineup)}${location.hash}`);
}

/** Train these runs (arguments clamped into their ranges): one new start with the same parameters. */
export function setLineup(wanted: Lineup): void {
  const { config } = useParams.getState();
  const { lineup } = clampLineup(wanted, config);
  useParams.setState({ lineup });
  history.replaceState(null, '', `${location.pathname}${writeUrl(location.search, config, lineup)}${location.hash}`);
}

export function dismissNotes(): void {
  useParams.setState({ notes: [] });
}
