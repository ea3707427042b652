import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Quote a URL for an HTML attribute. */
export const attribute = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

/**
 * A page served from another origin than the built site (another port on 127.0.0.1), as a talk or a
 * blog would host an embed: `html` is the whole document.
 */
export async function crossOriginHost(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const host = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((done) => host.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(host.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((done) => host.close(() => done())),
  };
}
