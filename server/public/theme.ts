// Light or dark: the system's preference until the reader picks one with the toggle (kept in the browser).
const STORAGE_KEY = 'verbatim-theme';

/** Applies the kept or system theme and makes `button` switch it. */
export function setupTheme(button: HTMLElement): void {
  const system = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    const chosen = localStorage.getItem(STORAGE_KEY);
    const dark = chosen ? chosen === 'dark' : system.matches;
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    button.setAttribute('aria-pressed', String(dark));
  };
  system.addEventListener('change', apply);
  button.addEventListener('click', () => {
    localStorage.setItem(STORAGE_KEY, document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark');
    apply();
  });
  apply();
}
