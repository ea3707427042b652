/** The tfjs backends the explainer can train on, fastest first (names only: importing this loads no tfjs). */
export type BackendName = 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];
