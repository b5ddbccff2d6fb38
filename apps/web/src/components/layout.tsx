import type { ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import { signOut } from '../lib/auth';
import { useConfirmLeave } from './leave-guard';

// Grouped the way a marketer thinks: the flows, who they reach, what they send.
const NAV_GROUPS = [
  {
    label: null,
    items: [
      { href: '/', label: 'Overview', icon: '⌂' },
      { href: '/journeys', label: 'Journeys', icon: '⤳' },
    ],
  },
  {
    label: 'Audience',
    items: [
      { href: '/contacts', label: 'Contacts', icon: '☺' },
      { href: '/activity', label: 'Activity', icon: '↯' },
      { href: '/segments', label: 'Segments', icon: '◎' },
      { href: '/tags', label: 'Tags', icon: '#' },
      { href: '/properties', label: 'Properties & events', icon: '≡' },
      { href: '/forms', label: 'Signup forms', icon: '▤' },
      { href: '/scoring', label: 'Scoring', icon: '★' },
      { href: '/suppressions', label: 'Suppressions', icon: '⊘' },
    ],
  },
  {
    label: 'Email',
    items: [
      { href: '/templates', label: 'Templates', icon: '✉' },
      { href: '/topics', label: 'Email topics', icon: '☰' },
    ],
  },
  { label: null, items: [{ href: '/settings', label: 'Settings', icon: '⚙' }] },
] as const;

type NavItem = (typeof NAV_GROUPS)[number]['items'][number];

function NavLink({ href, label, icon }: NavItem) {
  // The overview is `/` alone; every other section is its path and what lies under it.
  const [active] = useRoute(href === '/' ? '/' : `${href}/*?`);
  return (
    <Link
      href={href}
      className={active ? 'nav-link active' : 'nav-link'}
      aria-current={active ? 'page' : undefined}
      title={label}
    >
      <span className="nav-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="nav-label">{label}</span>
    </Link>
  );
}

/** The app frame: navigation on the left, the current page on the right. */
export function Layout({ children }: { children: ReactNode }) {
  // The canvas pages need every pixel: the navigation shrinks to its icons there.
  const [canvas] = useRoute('/journeys/:id/*?');
  const confirmLeave = useConfirmLeave();
  return (
    <div className={canvas ? 'shell compact' : 'shell'}>
      <nav className="sidebar" aria-label="Main">
        <Link href="/" className="brand">
          <img src="/favicon.svg" alt="" width={26} height={26} />
          <span className="nav-label">Relance</span>
        </Link>
        {NAV_GROUPS.map((group) => (
          <ul key={group.items[0].href} aria-label={group.label ?? undefined}>
            {group.label && (
              <li className="nav-group" aria-hidden="true">
                <span className="nav-label">{group.label}</span>
              </li>
            )}
            {group.items.map((item) => (
              <li key={item.href}>
                <NavLink {...item} />
              </li>
            ))}
          </ul>
        ))}
        <button
          type="button"
          className="link-button sign-out"
          onClick={() => confirmLeave(signOut)}
          title="Sign out"
        >
          <span className="nav-icon" aria-hidden="true">
            ⎋
          </span>
          <span className="nav-label">Sign out</span>
        </button>
      </nav>
      <main className={canvas ? 'page full-bleed' : 'page'}>{children}</main>
    </div>
  );
}

export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: string;
  subtitle?: string;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="muted">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
