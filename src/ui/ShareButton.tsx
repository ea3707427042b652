import { useParams } from '../state/params';
import { usePlayback } from '../state/playback';
import { shareUrl } from '../state/url';
import { CopyButton } from './CopyButton';

/** The link that reproduces the view as it is now: parameters, seed, scene and shown step. */
export function viewLink(href: string = location.href): string {
  const { scene, pinned } = usePlayback.getState();
  return shareUrl(href, useParams.getState().config, { scene, t: pinned === null ? null : Math.round(pinned) });
}

/** Copies a link that reproduces the view. */
export function ShareButton() {
  return (
    <CopyButton
      label="Share this view"
      text={() => viewLink()}
      fieldLabel="Link to this view"
      copiedText="Link copied."
      refusedText="Copy the link above."
      className="share"
      testId="share-link"
    />
  );
}
