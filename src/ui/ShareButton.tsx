import { useId, useState } from 'react';
import { useParams } from '../state/params';
import { usePlayback } from '../state/playback';
import { shareUrl } from '../state/url';

/** Copies a link that reproduces the view: parameters, seed, scene and shown step. */
export function ShareButton() {
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const id = useId();
  const share = () => {
    const { scene, pinned } = usePlayback.getState();
    const url = shareUrl(location.href, useParams.getState().config, { scene, t: pinned === null ? null : Math.round(pinned) });
    setLink(url);
    setCopied(null);
    if (!navigator.clipboard) return setCopied(false);
    navigator.clipboard.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="share">
      <button type="button" onClick={share}>
        Share this view
      </button>
      {link !== null && (
        <>
          <label htmlFor={id} className="visually-hidden">
            Link to this view
          </label>
          <input id={id} data-testid="share-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
          <span role="status" className="note">
            {copied === true ? 'Link copied.' : copied === false ? 'Copy the link above.' : ''}
          </span>
        </>
      )}
    </div>
  );
}
