import { useId, useState } from 'react';
import { pageTheme, setTheme } from '../state/params';
import { THEMES, type Theme } from '../state/url';

const LABEL: Record<Theme, string> = { auto: 'as the system', light: 'light', dark: 'dark (projectors)' };

/** Light, dark, or as the system says. */
export function ThemeToggle() {
  const [theme, choose] = useState<Theme>(pageTheme);
  const id = useId();
  return (
    <label htmlFor={id} className="theme-toggle">
      Theme{' '}
      <select
        id={id}
        value={theme}
        onChange={(e) => {
          const next = e.target.value as Theme;
          choose(next);
          setTheme(next);
        }}
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {LABEL[t]}
          </option>
        ))}
      </select>
    </label>
  );
}
