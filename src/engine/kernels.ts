/**
 * tfjs's kernels called straight, without its op layer. An op (tf.mul, tf.matMul ...) converts its
 * inputs, opens and closes a scope, and wraps every output in a tracked Tensor around the kernel it
 * runs: a Multiply of [2, 500] by [1, 500] takes 3.8 us as an op and 2.6 us through a scope (Node
 * wasm, bench/kernel-dispatch.ts, a slow host), and a pair step runs 35 kernels. The step's hot path
 * (step.ts) runs the same kernels with the same attributes through a KernelScope, so its numbers are
 * bit for bit the op layer's: pair steps/s at best 1,940-1,990 -> 2,230-2,240 (bench/pair.ts, same host).
 *
 * A scope owns every output it makes until dispose(); `tensor(x)` hands one over to the engine as an
 * ordinary tf.Tensor (what a step keeps: W and the buffer, a logged row's inputs). Dispose the scope
 * before the engine disposes anything handed over from it (inside the tidy that uses them): a
 * reshape shares its input's data, and the backend frees data when its last reference goes, which
 * the engine learns of only from its own dispose.
 */
import * as tf from '@tensorflow/tfjs-core';

type Info = tf.TensorInfo;
type Attrs = Record<string, unknown>;
type KernelFunc = (args: { inputs: Record<string, Info> | Info[]; backend: tf.KernelBackend; attrs: Attrs }) => Info | Info[];

/** Where a kernel's time goes (bench/engine-profile.ts): called after every kernel a scope runs, with its wall time. */
export type KernelTimer = (name: string, inputShapes: number[][], ms: number) => void;
let timer: KernelTimer | null = null;

/** Time every kernel the scopes run (synchronous backends: wasm, cpu), or stop (null). */
export function timeKernels(t: KernelTimer | null): void {
  timer = t;
}

const kernels = new Map<string, KernelFunc>();

function kernelFunc(name: string, backendName: string): KernelFunc {
  const key = `${backendName}/${name}`;
  let f = kernels.get(key);
  if (!f) {
    const config = tf.getKernel(name, backendName);
    if (!config) throw new Error(`the ${backendName} backend has no ${name} kernel`);
    f = config.kernelFunc as unknown as KernelFunc;
    kernels.set(key, f);
  }
  return f;
}

export class KernelScope {
  private readonly backend: tf.KernelBackend;
  private readonly backendName: string;
  private owned: Info[] = [];
  private readonly handed = new Map<Info, tf.Tensor>();

  constructor() {
    this.backend = tf.backend();
    this.backendName = tf.getBackend();
  }

  /** Run kernel `name` (tfjs's kernel names: 'Multiply', 'BatchMatMul' ...) on `inputs`; the scope owns its output. */
  run(name: string, inputs: Record<string, Info> | Info[], attrs: Attrs = {}): Info {
    const f = kernelFunc(name, this.backendName);
    const t0 = timer ? performance.now() : 0;
    const out = f({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) {
      this.owned.push(...out);
      throw new Error(`kernel ${name} has ${out.length} outputs: KernelScope.run takes one`);
    }
    this.owned.push(out);
    if (timer) timer(name, (Array.isArray(inputs) ? inputs : Object.values(inputs)).map((x) => x.shape), performance.now() - t0);
    return out;
  }

  matMul(a: Info, b: Info): Info {
    return this.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  }

  mul(a: Info, b: Info): Info {
    return this.run('Multiply', { a, b });
  }

  add(a: Info, b: Info): Info {
    return this.run('Add', { a, b });
  }

  sub(a: Info, b: Info): Info {
    return this.run('Sub', { a, b });
  }

  square(x: Info): Info {
    return this.run('Square', { x });
  }

  neg(x: Info): Info {
    return this.run('Neg', { x });
  }

  sigmoid(x: Info): Info {
    return this.run('Sigmoid', { x });
  }

  /** Sum over `axis`, keeping it as size 1. */
  sumKeep(x: Info, axis: number): Info {
    return this.run('Sum', { x }, { axis: [axis], keepDims: true });
  }

  /** The backend's Reshape: shares x's data where it can (wasm, cpu; webgl may repack a texture). */
  reshape(x: Info, shape: number[]): Info {
    return this.run('Reshape', { x }, { shape });
  }

  /** Average pool of a [batch, height, width, channels] input, 'valid' padding (tf.avgPool's attributes). */
  avgPool(x: Info, filterSize: [number, number], strides: [number, number]): Info {
    return this.run('AvgPool', { x }, { filterSize, strides, pad: 'valid', dimRoundingMode: undefined });
  }

  /**
   * x as a tf.Tensor the engine owns (and disposes: in the tidy it is made in, or by hand outside
   * one); the same Tensor for the same x. x must be this scope's output, or an engine Tensor
   * (returned as it is).
   */
  tensor(x: Info): tf.Tensor {
    if (x instanceof tf.Tensor) return x;
    const had = this.handed.get(x);
    if (had) return had;
    const i = this.owned.indexOf(x);
    if (i < 0) throw new Error('KernelScope.tensor: not an output of this scope');
    this.owned.splice(i, 1);
    const t = tf.engine().makeTensorFromTensorInfo(x, this.backend);
    this.handed.set(x, t);
    return t;
  }

  /** Free every output not handed over. Safe to call more than once. */
  dispose(): void {
    const owned = this.owned;
    this.owned = [];
    for (const x of owned) this.backend.disposeData(x.dataId);
  }

  /** The outputs still owned (tests). */
  get size(): number {
    return this.owned.length;
  }
}
