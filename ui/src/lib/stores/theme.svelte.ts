export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'forestock.theme';

/** Light/dark theme, remembered on this machine; `system` follows the OS setting. */
class Theme {
  choice = $state<ThemeChoice>('system');

  constructor(private storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null) {
    const saved = this.storage?.getItem(KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'system') this.choice = saved;
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    this.storage?.setItem(KEY, choice);
    this.apply();
  }

  apply(root: HTMLElement | undefined = globalThis.document?.documentElement): void {
    if (!root) return;
    if (this.choice === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', this.choice);
  }
}

export { Theme };
export const theme = new Theme();
