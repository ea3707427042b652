/**
 * The layering lint rule (eslint.config.js) refuses imports against sim <- engine <- worker/cli <-
 * state <- view <- panels <- ui, and lets the allowed ones through: checked on code that is linted
 * as if it were a file of each folder.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the layering rule', () => {
  it.each([
    ['src/panels/Wrong.tsx', "import { App } from '../ui/App';\nexport const x = App;\n", 'src/panels may import only'],
    ['src/panels/chart/Wrong.tsx', "export const x = () => import('../../ui/Figures');\n", 'src/panels may import only'],
    ['src/view/wrong.ts', "import { PanelFrame } from '../panels/Panel';\nexport const x = PanelFrame;\n", 'src/view may import only'],
    ['src/state/wrong.ts', "import { SIZE } from '../view/theme';\nexport const x = SIZE;\n", 'src/state may import only'],
    ['src/engine/wrong.ts', "import { useTraining } from '../state/training';\nexport const x = useTraining;\n", 'src/engine may import only'],
    ['src/engine/react.ts', "import { useState } from 'react';\nexport const x = useState;\n", 'runs without React'],
    ['src/sim/wrong.ts', "import * as tf from '@tensorflow/tfjs-core';\nexport const x = tf;\n", 'no tfjs'],
    ['src/sim/up.ts', "import { BatchTrainer } from '../engine/trainer';\nexport const x = BatchTrainer;\n", 'src/sim may import only itself'],
  ])('refuses a wrong import in %s', async (file, code, message) => {
    const found = await problems(file, code);
    expect(found.some((p) => p.includes(message)), found.join('\n')).toBe(true);
  });

  it.each([
    ['src/panels/Right.tsx', "import { SIZE } from '../view/theme';\nimport type { PanelData } from '../state/panel-data';\nexport const x: [typeof SIZE, PanelData | null] = [SIZE, null];\n"],
    ['src/ui/Right.tsx', "import { PanelFrame } from '../panels/Panel';\nexport const x = PanelFrame;\n"],
    ['src/engine/right.ts', "import { PAIR } from '../sim/runs';\nexport const x = PAIR;\n"],
  ])('lets an allowed import through in %s', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
