// The host's left menu: its own entries and the plugins', grouped by section, filtered by role,
// labelled in the user's language, with the current page marked.
import type { HostUser, Locale, MenuEntry, UserRole } from 'support-requests';

/** A number next to a menu item for this user (e.g. requests waiting), or null. */
export type MenuBadge = (user: HostUser) => Promise<number | null>;

interface MenuItemView {
  label: string;
  path: string;
  current: boolean;
  badge?: MenuBadge;
}

export interface MenuSectionView {
  title: string;
  items: MenuItemView[];
}

function matches(entryPath: string, currentPath: string): boolean {
  const base = entryPath.replace(/\/+$/, '');
  return currentPath === base || currentPath.startsWith(base + '/') || (base === '' && currentPath === '/');
}

export class PanelMenu {
  private readonly entries: MenuEntry[] = [];
  private readonly badges = new Map<MenuEntry, MenuBadge>();

  add(entries: readonly MenuEntry[], badge?: MenuBadge): void {
    this.entries.push(...entries);
    if (badge) for (const entry of entries) this.badges.set(entry, badge);
  }

  /** Sections in the order of their first entry; entries by `order`, then as added. */
  visible(role: UserRole, locale: Locale, currentPath: string): MenuSectionView[] {
    const entries = this.entries
      .map((entry, index) => ({ entry, index }))
      .filter(({ entry }) => entry.roles.includes(role))
      .sort((a, b) => a.entry.order - b.entry.order || a.index - b.index)
      .map(({ entry }) => entry);
    // The current item is the one with the longest matching path, so nested paths win.
    const current = entries.filter((e) => matches(e.path, currentPath)).sort((a, b) => b.path.length - a.path.length)[0];
    const sections = new Map<string, MenuSectionView>();
    for (const entry of entries) {
      const key = entry.section.en;
      let section = sections.get(key);
      if (!section) {
        section = { title: entry.section[locale], items: [] };
        sections.set(key, section);
      }
      section.items.push({ label: entry.label[locale], path: entry.path, current: entry === current, badge: this.badges.get(entry) });
    }
    return [...sections.values()];
  }
}
