import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pageTheme } from './state/params';
import { App } from './ui/App';
import './ui/styles.css';

if (pageTheme !== 'auto') document.documentElement.dataset.theme = pageTheme;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
