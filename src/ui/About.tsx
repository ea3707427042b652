import { PARAMS } from '../sim/params';
import { useParams } from '../state/params';
import { symbolText } from '../view/format';
import { Tex } from '../view/Tex';

/** Says plainly what is simulated, at which values, and how it relates to the paper's theorems. */
export function About() {
  const config = useParams((s) => s.config);
  return (
    <section className="about" aria-labelledby="about-title">
      <h2 id="about-title">What this page simulates</h2>
      <p>
        The synthetic setting of Jelassi &amp; Li, &ldquo;Towards understanding how momentum improves generalization in deep learning&rdquo;
        (ICML 2022, <a href="https://arxiv.org/abs/2207.05931">arXiv:2207.05931</a>): a one-hidden-layer convolutional network with cubic
        activation, <Tex tex="f(X)=\sum_{r=1}^m\sum_{j=1}^P\langle w_r,X[j]\rangle^3" />, trained on the mean logistic loss by full-batch
        gradient descent (GD) and by full-batch GD with momentum (GD+M, <Tex tex="g_t=\gamma g_{t-1}+(1-\gamma)\nabla L" />,{' '}
        <Tex tex="W_{t+1}=W_t-\eta g_t" />) from the same initialization, on the same data. No stochastic noise is involved.
      </p>
      <p>
        The paper&apos;s theorems are asymptotic: they hold for large dimension <Tex tex="d" /> with margins and sizes scaled with it. This
        page runs one concrete instance at the size of the paper&apos;s own experiment, so the numbers you see illustrate the theorems, they do
        not prove them. The first view and the map at the default setting were computed when the page was built, by the same engine in
        Node (the status chip says so); any change of a parameter, or Reset, computes everything live in your browser (TensorFlow.js,
        float32).
      </p>
      <p className="setting">
        Now simulating:{' '}
        {PARAMS.map((p) => (
          <span key={p.key}>
            {symbolText(p.symbol)} = {String(config[p.key])}
          </span>
        ))}
      </p>
    </section>
  );
}
