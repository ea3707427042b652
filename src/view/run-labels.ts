import { type Lineup, type RunName, runDef } from '../sim/runs';

/** How an argument reads after its run's label. */
const SAYS: Record<string, (label: string, v: number) => string> = {
  K: (label, v) => `${label.replace(/\s*K$/, '')} K = ${v}`,
  "eta'": (label, v) => `${label.replace(/\s*η$/, '')} η′ = ${v}`,
  b: (label, v) => `${label}, batch b = ${v}`,
};

/** A run's name with its argument, as legends, cards and the verdict print it: "GD+M until K = 60". */
export function runTitle(id: RunName, lineup: Lineup): string {
  const def = runDef(id);
  const arg = lineup.find((c) => c.id === id)?.arg ?? def.arg?.default;
  if (!def.arg || arg === undefined) return def.label;
  return SAYS[def.arg.name]?.(def.label, arg) ?? `${def.label} ${def.arg.name} = ${arg}`;
}
