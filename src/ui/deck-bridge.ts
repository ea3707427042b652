/**
 * An embed talking to the slide deck around it, through reveal.js's postMessage API (on by default
 * in every reveal.js deck; shared/browser-testing.md):
 *
 * - reveal.js posts the string `slide:start` into an embedded frame when its slide is shown, and
 *   `slide:stop` when it is left. Either one from our parent window tells us the host is reveal.js;
 *   before that, the host is unknown and nothing is ever sent to it.
 * - keys the embed does not use (and →/← past the last or first step) go back to the deck as
 *   `{"method": "next"}` and the like, so a speaker who clicked into the embed to drag a slider can
 *   go on with the talk from the keyboard. A host that is not reveal.js is left alone.
 *
 * Messages from anywhere but our parent window are ignored, and we send only method names of
 * reveal.js's navigation API (no data of ours).
 */

export type DeckMethod = 'next' | 'prev' | 'left' | 'right' | 'up' | 'down' | 'slide' | 'toggleOverview' | 'togglePause';

type Listener = () => void;

interface DeckState {
  /** A reveal.js deck has spoken to us. */
  reveal: boolean;
  /** Whether our slide is shown: true after slide:start, false after slide:stop, null before either. */
  shown: boolean | null;
  /** How many times the deck has shown our slide. */
  starts: number;
}

let state: DeckState = { reveal: false, shown: null, starts: 0 };
const listeners = new Set<Listener>();
let installed = false;

function set(next: DeckState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** Whether this document is in a frame (an embed in a deck or another page). */
export function inFrame(): boolean {
  return typeof window !== 'undefined' && window.parent !== window;
}

/** Start listening for the deck (once; from main.tsx, before the frame's load event, when reveal.js sends its first slide:start). */
export function installDeckBridge(): void {
  if (installed || !inFrame()) return;
  installed = true;
  window.addEventListener('message', (e: MessageEvent) => {
    if (e.source !== window.parent) return;
    if (e.data === 'slide:start') set({ reveal: true, shown: true, starts: state.starts + 1 });
    else if (e.data === 'slide:stop') set({ ...state, reveal: true, shown: false });
  });
}

export function deckState(): DeckState {
  return state;
}

export function subscribeDeck(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Ask the deck to move; false (and nothing sent) when the host is not a reveal.js deck. */
export function tellDeck(method: DeckMethod, args?: unknown[]): boolean {
  if (!state.reveal || !inFrame()) return false;
  window.parent.postMessage(JSON.stringify(args ? { method, args } : { method }), '*');
  return true;
}

/**
 * The deck's own binding for a key the embed does not use (reveal.js's default keyboard), or null
 * for keys the deck does not bind either.
 */
export function deckMethodFor(e: Pick<KeyboardEvent, 'key' | 'shiftKey'>): { method: DeckMethod; args?: unknown[] } | null {
  switch (e.key) {
    case 'ArrowRight':
      return { method: 'right' };
    case 'ArrowLeft':
      return { method: 'left' };
    case 'ArrowUp':
      return { method: 'up' };
    case 'ArrowDown':
      return { method: 'down' };
    case ' ':
      return { method: e.shiftKey ? 'prev' : 'next' };
    case 'PageDown':
    case 'n':
    case 'N':
      return { method: 'next' };
    case 'PageUp':
    case 'p':
    case 'P':
      return { method: 'prev' };
    case 'Home':
      return { method: 'slide', args: [0] };
    case 'End':
      return { method: 'slide', args: [Number.MAX_VALUE] };
    case 'Escape':
    case 'o':
    case 'O':
      return { method: 'toggleOverview' };
    case 'b':
    case 'B':
    case '.':
      return { method: 'togglePause' };
    default:
      return null;
  }
}

/** For tests: back to "no deck seen". */
export function resetDeckBridge(): void {
  set({ reveal: false, shown: null, starts: 0 });
}
