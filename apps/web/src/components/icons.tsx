import type { NodeGroup } from '@relance/flow';

const PATHS: Record<NodeGroup, string> = {
  // Lightning: something happens.
  trigger: 'M13 2 4 14h7l-1 8 9-12h-7z',
  // Clock: time passes.
  wait: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm0 4v5l3 2',
  // Fork: the path splits.
  logic: 'M6 3v5a4 4 0 0 0 4 4h4a4 4 0 0 1 4 4v5M6 21v-5a4 4 0 0 1 4-4',
  // Paper plane: Relance does something.
  action: 'M21 3 10 14M21 3l-7 18-4-7-7-4z',
};

/** The icon of a palette group, drawn in the group's colour by CSS. */
export function GroupIcon({ group, size = 16 }: { group: NodeGroup; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className={`group-icon group-${group}`}
    >
      <path d={PATHS[group]} />
    </svg>
  );
}
