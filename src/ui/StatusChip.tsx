import { useTraining } from '../state/training';

/** Two significant digits: the figure is a measurement, and a steadier text repaints less. */
const roughly = (rate: number) => Number(rate.toPrecision(2));

/** Which tfjs backend trains, why, and how fast. */
export function StatusChip() {
  const backend = useTraining((s) => s.backend);
  const rate = useTraining((s) => s.stepsPerSecond);
  const incident = useTraining((s) => s.incident);
  if (!backend) return <span className="chip" role="status">starting the engine…</span>;
  const detail = [backend.reason, backend.threads === 2 && 'two training threads', backend.renderer && `renderer: ${backend.renderer}`, backend.float32 !== null && `float32 render targets: ${backend.float32 ? 'yes' : 'no'}`]
    .filter(Boolean)
    .join(' · ');
  return (
    <span className="chip" role="status" title={detail} data-backend={backend.name} data-renderer={backend.renderer ?? ''} data-threads={backend.threads ?? 1}>
      <strong>{backend.name}</strong>
      {rate !== null && <span data-testid="steps-per-second"> · {roughly(rate)} steps/s</span>}
      {incident && <span className="chip-incident" data-testid="incident"> · {incident}</span>}
      <span className="visually-hidden"> ({detail})</span>
    </span>
  );
}
