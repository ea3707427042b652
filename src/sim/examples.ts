import type { Dataset } from './data';

/** One training example as the data panel draws it: its P patches and how each lies along w*. */
export interface ExampleView {
  /** Index in the training set. */
  index: number;
  y: number;
  small: boolean;
  /** The signal strength of this example: alpha (large margin) or beta (small margin). */
  margin: number;
  signalPatch: number;
  P: number;
  d: number;
  /** The patches, patch-major: patches[j * d + k] = X[j]_k. */
  patches: Float32Array;
  /** <X[j], w*> for every patch j: y * margin for the signal patch, about 0 for noise patches. */
  alongFeature: number[];
  /** ||X[j]|| for every patch j. */
  norms: number[];
}

function view(data: Dataset, i: number, margin: number): ExampleView {
  const { d, P, wStar } = data;
  const { X, y, small, signalPatch } = data.train;
  const patches = X.slice(i * P * d, (i + 1) * P * d);
  const alongFeature: number[] = [];
  const norms: number[] = [];
  for (let j = 0; j < P; j++) {
    let dot = 0;
    let sq = 0;
    for (let k = 0; k < d; k++) {
      const x = patches[j * d + k];
      dot += x * wStar[k];
      sq += x * x;
    }
    alongFeature.push(dot);
    norms.push(Math.sqrt(sq));
  }
  return { index: i, y: y[i], small: small[i] === 1, margin, signalPatch: signalPatch[i], P, d, patches, alongFeature, norms };
}

/**
 * The first large-margin and the first small-margin training example (when the data has them),
 * the pair the data panel shows side by side.
 */
export function exampleViews(data: Dataset, alpha: number, beta: number): ExampleView[] {
  const small = data.train.small;
  const large = small.indexOf(0);
  const rare = small.indexOf(1);
  const views: ExampleView[] = [];
  if (large >= 0) views.push(view(data, large, alpha));
  if (rare >= 0) views.push(view(data, rare, beta));
  return views;
}
