import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layering of src/ (README, "Layout"): each folder may import only the folders below it.
 *   sim <- engine <- worker, cli <- state <- view <- panels <- ui
 * sim is pure (no tfjs, no React, no DOM); nothing below state knows React.
 */
const LAYERS = {
  sim: [],
  engine: ['sim'],
  worker: ['sim', 'engine'],
  cli: ['sim', 'engine', 'worker'],
  state: ['sim', 'engine', 'worker'],
  view: ['sim', 'engine', 'worker', 'state'],
  panels: ['sim', 'engine', 'worker', 'state', 'view'],
  ui: ['sim', 'engine', 'worker', 'state', 'view', 'panels'],
};
const FOLDERS = Object.keys(LAYERS);
const NO_REACT = ['sim', 'engine', 'worker', 'cli'];

/** One config block per layer: relative imports of any other src folder are refused (also `import()`). */
const layering = FOLDERS.map((layer) => {
  const refused = FOLDERS.filter((f) => f !== layer && !LAYERS[layer].includes(f));
  const patterns = [
    {
      // ../ui/x from src/panels/A.tsx, ../../ui/x from src/panels/chart/B.tsx
      regex: `^(\\.\\./)+(${refused.join('|')})(/|$)`,
      message: `src/${layer} may import only ${LAYERS[layer].length ? LAYERS[layer].map((f) => `src/${f}`).join(', ') : 'itself'} (layering: sim <- engine <- worker/cli <- state <- view <- panels <- ui).`,
    },
  ];
  if (layer === 'sim') patterns.push({ regex: '^@tensorflow/', message: 'src/sim is pure TypeScript: no tfjs (that is src/engine).' });
  if (NO_REACT.includes(layer)) patterns.push({ regex: '^(react|react-dom|zustand)(/|$)', message: `src/${layer} runs without React (worker, Node): no react, react-dom or zustand.` });
  return {
    files: [`src/${layer}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': ['error', { patterns }],
      // dynamic import() is an import too
      'no-restricted-syntax': [
        'error',
        ...patterns.map((p) => ({ selector: `ImportExpression[source.value=/${p.regex.replace(/\//g, '\\/')}/]`, message: p.message })),
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'scratch', 'public'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layering,
);
