/** The shares of a random split as one bar, so 90/10 looks different from 50/50 at a glance. */
export function SplitBar({ config }: { config: Record<string, unknown> }) {
  const branches = Array.isArray(config.branches)
    ? (config.branches as { id?: unknown; label?: unknown; percent?: unknown }[])
    : [];
  const shares = branches.filter(
    (b): b is { id: string; label?: unknown; percent: number } =>
      typeof b?.id === 'string' && typeof b.percent === 'number' && b.percent > 0,
  );
  if (shares.length === 0) return null;
  return (
    <div className="split-bar" aria-hidden="true">
      {shares.map((b, i) => (
        <span key={b.id} className={`share share-${i % 4}`} style={{ flexGrow: b.percent }}>
          {b.percent}%
        </span>
      ))}
    </div>
  );
}
