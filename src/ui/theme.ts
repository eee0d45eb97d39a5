/** Follows the devtools theme (light/dark); outside devtools, the system's colour scheme. */
export function applyTheme(themeName: string | undefined, root: HTMLElement = document.documentElement): void {
  const dark = themeName ? themeName === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  root.dataset.theme = dark ? 'dark' : 'light';
}
