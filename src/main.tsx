import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { firstPaint } from './state/first-paint';
import { pageTheme } from './state/params';
import { App } from './ui/App';
import { Embed } from './ui/Embed';
import { readEmbed, readFlag, readLarge } from './ui/embed-params';
import { Present } from './ui/present/Present';
import { installDeckBridge } from './ui/deck-bridge';
import { registerServiceWorker } from './ui/offline';
import './ui/styles.css';

if (pageTheme !== 'auto') document.documentElement.dataset.theme = pageTheme;
// ?present=1: the story as slides (large text unless large=0)
const present = !readEmbed(location.search) && readFlag(new URLSearchParams(location.search), 'present', []);
if (present) document.documentElement.dataset.present = '';
if (readLarge(location.search) || (present && new URLSearchParams(location.search).get('large') !== '0')) document.documentElement.dataset.large = '';
// ?panel=<id>: one figure alone, for an <iframe> (an embed), else the whole page
const embed = readEmbed(location.search);
if (embed) document.documentElement.dataset.embed = embed.panel ?? '';
if (embed?.transparent) document.documentElement.dataset.transparent = '';
// A reveal.js deck says when the embed's slide is shown: listen before the frame's load event.
if (embed) installDeckBridge();
// The page's static title and lede (index.html, painted before this script ran) belong to the page only.
if (embed || present) document.getElementById('page-header')?.remove();
delete document.documentElement.dataset.bootBare;
// An embed's static title (index.html) goes when the embed draws its own (ui/Embed.tsx); elsewhere now.
if (!embed) document.getElementById('boot-embed')?.remove();

// Offline after one visit: the page, every embed and present mode (ui/offline.tsx).
registerServiceWorker();

// The first render as a transition: React renders in slices of a few milliseconds with the main
// thread free in between, instead of one task that blocks a phone for hundreds of milliseconds.
// It waits for the static text's paint to reach the screen (state/first-paint.ts).
const root = createRoot(document.getElementById('root')!);
void firstPaint.then(() => startTransition(() => root.render(<StrictMode>{embed ? <Embed params={embed} /> : present ? <Present /> : <App />}</StrictMode>)));
