import { dismissNotes, useParams } from '../state/params';

/** Says which values from the URL were out of range and what the page used instead. */
export function UrlNotes() {
  const notes = useParams((s) => s.notes);
  if (!notes.length) return null;
  return (
    <aside className="notice" role="status" aria-label="Adjusted URL values">
      <p>Some values in the link were adjusted:</p>
      <ul>
        {notes.map((n) => (
          <li key={n.key}>
            <code>{n.key}</code> {n.message}
          </li>
        ))}
      </ul>
      <button type="button" onClick={dismissNotes}>
        Dismiss
      </button>
    </aside>
  );
}
