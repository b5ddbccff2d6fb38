import { isFragment, type Fragment } from './graph-edits';

// Copied steps live in localStorage so they paste into another journey, even in another tab.
const KEY = 'relance.clipboard';

export function writeClipboard(fragment: Fragment): void {
  localStorage.setItem(KEY, JSON.stringify(fragment));
}

export function readClipboard(): Fragment | null {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    return isFragment(value) ? value : null;
  } catch {
    return null;
  }
}
