import { type NumericParamSpec, paramSpec } from '../sim/params';
import { NumericControl } from './ParamControls';
import { ShareButton } from './ShareButton';

/** The two sliders the story is about, up front: momentum and the small margin. */
export function KeyControls() {
  return (
    <form className="key-controls" onSubmit={(e) => e.preventDefault()} aria-label="Momentum and margin">
      <NumericControl spec={paramSpec('gamma') as NumericParamSpec} featured />
      <NumericControl spec={paramSpec('beta') as NumericParamSpec} featured />
      <ShareButton />
    </form>
  );
}
