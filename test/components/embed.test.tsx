// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { PANELS } from '../../src/ui/Figures';
import { FIGURE_IDS } from '../../src/view/figures';
import { Embed } from '../../src/ui/Embed';
import { readEmbed, readLarge } from '../../src/ui/embed-params';
import { CopyEmbedCode, PANEL_TOOLS, embedCode, embedUrl, renderPanelTools } from '../../src/ui/PanelTools';
import { render } from '../support/render';

describe('embed keys of the URL', () => {
  it('no panel key: not an embed', () => {
    expect(readEmbed('')).toBeNull();
    expect(readEmbed('?gamma=0.5&controls=gamma&autoplay=1')).toBeNull();
  });

  it('every figure of the page can be embedded, and only those', () => {
    expect(Object.keys(PANELS).sort()).toEqual([...FIGURE_IDS].sort());
    for (const id of FIGURE_IDS) expect(readEmbed(`?panel=${id}`)?.panel).toBe(id);
    expect(readEmbed('?panel=%20Race%20')?.panel).toBe('race');
  });

  it('a well-formed embed: panel, sliders in the order asked, autoplay and loop', () => {
    expect(readEmbed('?panel=errors&controls=beta,gamma&autoplay=1&loop=true')).toEqual({
      panel: 'errors',
      asked: 'errors',
      controls: ['beta', 'gamma'],
      autoplay: true,
      loop: true,
      transparent: false,
      notes: [],
    });
    const bare = readEmbed('?panel=race&autoplay')!;
    expect(bare.autoplay).toBe(true);
    expect(bare.loop).toBe(false);
    expect(bare.controls).toEqual([]);
  });

  it('unknown or hostile panel values give no panel, and a short, quoted name for the message', () => {
    for (const bad of ['', '__proto__', 'constructor', 'toString', 'race,feature', '<img src=x onerror=alert(1)>', 'x'.repeat(5000), '\u0000race']) {
      const embed = readEmbed(`?panel=${encodeURIComponent(bad)}`)!;
      expect(embed.panel, bad.slice(0, 20)).toBeNull();
      expect(embed.asked.length).toBeLessThanOrEqual(41);
      expect([...embed.asked].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    }
  });

  it('controls: unknown keys, enums, duplicates, empty pieces and prototype names are dropped with one note', () => {
    const embed = readEmbed('?panel=race&controls=gamma,,gamma,%20beta%20,momentumForm,__proto__,constructor,hasOwnProperty,' + 'y'.repeat(300))!;
    expect(embed.controls).toEqual(['gamma', 'beta']);
    expect(embed.notes).toHaveLength(1);
    expect(embed.notes[0]).toContain('"momentumForm"');
    expect(embed.notes[0]).toContain('"__proto__"');
    expect(embed.notes[0].length).toBeLessThan(400);
    const many = readEmbed(`?panel=race&controls=${Array.from({ length: 1000 }, (_, k) => `k${k}`).join(',')}`)!;
    expect(many.controls).toEqual([]);
    expect(many.notes[0]).toContain('1000 in all');
    expect(readEmbed('?panel=race&controls=')!.notes).toEqual([]);
  });

  it('flags: 1/true/yes/bare are on, 0/false/no off, anything else off with a note', () => {
    for (const on of ['1', 'true', 'YES', '']) expect(readEmbed(`?panel=race&loop=${on}`)!.loop).toBe(true);
    for (const off of ['0', 'false', 'no']) expect(readEmbed(`?panel=race&loop=${off}`)!.loop).toBe(false);
    const odd = readEmbed('?panel=race&autoplay=2&loop=%3Cscript%3E')!;
    expect([odd.autoplay, odd.loop]).toEqual([false, false]);
    expect(odd.notes).toHaveLength(2);
    expect(readLarge('?large=1')).toBe(true);
    expect(readLarge('?large=maybe')).toBe(false);
    expect(readLarge('')).toBe(false);
  });
});

describe('the embed shell', () => {
  it('an unknown panel says so and lists the figures, never a blank frame; the name is shown as text', () => {
    const { container, unmount } = render(<Embed params={readEmbed('?panel=%3Cb%3Ephase%3C/b%3E')!} />);
    const alert = container.querySelector('[role=alert]')!;
    expect(alert.textContent).toContain('No figure called “<b>phase</b>”');
    for (const id of FIGURE_IDS) expect(alert.textContent).toContain(id);
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('a')?.getAttribute('href')).not.toContain('panel=');
    unmount();
  });
});

describe('copy embed code', () => {
  it('an <iframe> of the current page with the parameters, the seed and the panel', () => {
    history.replaceState(null, '', '/explainer/?gamma=0.5&theme=dark#about');
    const src = embedUrl(location.href, 'race');
    const url = new URL(src);
    expect(url.pathname).toBe('/explainer/');
    expect(url.hash).toBe('');
    expect(url.searchParams.get('panel')).toBe('race');
    expect(url.searchParams.get('seed')).toBe('0');
    expect(url.searchParams.get('theme')).toBe('dark');
    const code = embedCode(src, 'race');
    expect(code).toMatch(/^<iframe src="[^"]+" width="800" height="500" style="border:0" title="[^"]+" allow="fullscreen"><\/iframe>$/);
    expect(code).toContain('&amp;panel=race');
    expect(embedCode('https://x/?a="><script>', 'race')).not.toContain('"><script>');
  });

  it('the button shows the code in a read-only field when there is no clipboard', () => {
    const { container, unmount } = render(<CopyEmbedCode panelId="errors" />);
    act(() => container.querySelector('button')!.click());
    const field = container.querySelector<HTMLInputElement>('[data-testid=embed-code-errors]')!;
    expect(field.readOnly).toBe(true);
    expect(field.value).toContain('panel=errors');
    expect(container.textContent).toContain('Copy the code above.');
    unmount();
  });

  it('the tools are a list: each figure gets every tool', () => {
    const { container, unmount } = render(<>{renderPanelTools('memory', [...PANEL_TOOLS, ({ panelId }) => <span>extra {panelId}</span>])}</>);
    expect(container.textContent).toContain('Copy embed code');
    expect(container.textContent).toContain('extra memory');
    unmount();
  });
});
