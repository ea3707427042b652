/**
 * A value from outside (a URL, a flag) quoted back in a message: control characters dropped and cut
 * to a readable length, so a 10,000-character value cannot flood the page or the terminal.
 */

/** Longest piece of a value quoted back, in characters (code points). */
export const QUOTE_LENGTH = 40;

export function quote(text: string, length = QUOTE_LENGTH): string {
  // eslint-disable-next-line no-control-regex
  const clean = [...text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '')];
  return clean.length > length ? `${clean.slice(0, length).join('')}…` : clean.join('');
}
