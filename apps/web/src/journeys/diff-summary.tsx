import {
  describeNode,
  diffDocuments,
  entryPolicyWords,
  journeySettingLabelOf,
  portLabelOf,
  settingLabelOf,
  type DescribeContext,
  type DiffableDocument,
} from '@relance/flow';

function settingOf(document: DiffableDocument, key: string): unknown {
  const settings = document.settings;
  return settings !== null && typeof settings === 'object'
    ? (settings as Record<string, unknown>)[key]
    : undefined;
}

function fieldsOf(kind: string, fields: string[]): string {
  return fields.map((f) => settingLabelOf(kind, f)).join(', ');
}

/** What differs between two versions of a journey, in sentences: the publish dialog and compare view. */
export function DiffSummary({
  before,
  after,
  names = {},
}: {
  before: DiffableDocument;
  after: DiffableDocument;
  names?: DescribeContext;
}) {
  const diff = diffDocuments(before, after);
  if (diff.same) return <p className="muted">Nothing changed.</p>;
  const beforeById = new Map(before.nodes.map((n) => [n.id, n]));
  const afterById = new Map(after.nodes.map((n) => [n.id, n]));
  const sentence = (id: string, which: 'before' | 'after') => {
    const node = (which === 'before' ? beforeById : afterById).get(id);
    return node ? describeNode(node, names) : id;
  };
  const edge = (e: { from: string; port: string; to: string }, which: 'before' | 'after') => {
    const from = (which === 'before' ? beforeById : afterById).get(e.from);
    const port = from && e.port !== 'out' ? ` (${portLabelOf(from, e.port, names)})` : '';
    return `${sentence(e.from, which)}${port} → ${sentence(e.to, which)}`;
  };
  return (
    <div className="diff-summary">
      {diff.nameChanged && <p>The journey was renamed.</p>}
      {diff.settingsChanged && (
        <p>
          Journey settings changed:{' '}
          {diff.settingsFields
            .map((key) =>
              key === 'entryPolicy'
                ? `who can enter (now ${entryPolicyWords(settingOf(after, key))})`
                : journeySettingLabelOf(key),
            )
            .join(', ')}
          .
        </p>
      )}
      <DiffList
        title="Steps added"
        tone="added"
        items={diff.added.map((n) => sentence(n.id, 'after'))}
      />
      <DiffList
        title="Steps removed"
        tone="removed"
        items={diff.removed.map((n) => sentence(n.id, 'before'))}
      />
      <DiffList
        title="Steps changed"
        tone="changed"
        items={diff.changed.map(
          (c) =>
            `${sentence(c.id, 'after')}${c.previousKind ? ' (a different kind of step now)' : ''}${c.fields.length > 0 ? ` — ${fieldsOf(c.kind, c.fields)}` : ''}`,
        )}
      />
      <DiffList
        title="Connections added"
        tone="added"
        items={diff.edgesAdded.map((e) => edge(e, 'after'))}
      />
      <DiffList
        title="Connections removed"
        tone="removed"
        items={diff.edgesRemoved.map((e) => edge(e, 'before'))}
      />
    </div>
  );
}

function DiffList({ title, tone, items }: { title: string; tone: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <section className={`diff-list ${tone}`}>
      <h3>
        {title} <span className="count">{items.length}</span>
      </h3>
      <ul>
        {items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </ul>
    </section>
  );
}
