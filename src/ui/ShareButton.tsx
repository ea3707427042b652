import { useParams } from '../state/params';
import { usePlayback } from '../state/playback';
import { shareUrl } from '../state/url';
import { CopyButton } from './CopyButton';

/** The link that reproduces the view as it is now: parameters, seed, scene and shown step. */
export function viewLink(href: string = location.href): string {
  const { scene, pinned } = usePlayback.getState();
  const { config, lineup } = useParams.getState();
  return shareUrl(href, config, { scene, t: pinned === null ? null : Math.round(pinned) }, lineup);
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
