import {
  describeCondition,
  describeDuration,
  describeNode,
  diffDocuments,
  type Condition,
  type DescribeContext,
  type DiffableDocument,
} from '@relance/flow';

function settingsOf(document: DiffableDocument): Record<string, unknown> {
  const settings = document.settings;
  return settings !== null && typeof settings === 'object'
    ? (settings as Record<string, unknown>)
    : {};
}

/**
 * The journey-wide rules a new version changes (leaving early, goals, quiet hours, frequency cap),
 * each in words, as they are in the new version. They bind a run by its version: an entry that
 * finishes on the old version goes on without them, a moved one follows them from its next step.
 */
export function newRulesWords(
  before: DiffableDocument,
  after: DiffableDocument,
  names: DescribeContext = {},
): string[] {
  const diff = diffDocuments(before, after);
  const now = settingsOf(after);
  const words: string[] = [];
  for (const key of diff.settingsFields) {
    switch (key) {
      case 'exitConditions': {
        const exits = (now.exitConditions ?? []) as Condition[];
        words.push(
          exits.length === 0
            ? 'no longer leaving the journey early'
            : `leaving the journey as soon as ${exits.map((c) => describeCondition(c, names)).join(', or ')}`,
        );
        break;
      }
      case 'quietHours': {
        const quiet = now.quietHours as { start: string; end: string } | undefined;
        words.push(
          quiet ? `quiet hours (emails held ${quiet.start}–${quiet.end})` : 'no quiet hours',
        );
        break;
      }
      case 'frequencyCap': {
        const cap = now.frequencyCap as { count: number; per: string } | undefined;
        words.push(
          cap
            ? `the frequency cap (at most ${cap.count} email${cap.count === 1 ? '' : 's'} per ${(describeDuration(cap.per) ?? cap.per).replace(/^1 /, '')})`
            : 'no frequency cap',
        );
        break;
      }
      case 'goalWindow':
        words.push(
          typeof now.goalWindow === 'string'
            ? `conversions counted up to ${describeDuration(now.goalWindow) ?? now.goalWindow} after the last step`
            : 'how long conversions count',
        );
        break;
      default:
        // Who may enter concerns new entries only.
        break;
    }
  }
  const goal = (node: { kind: string }) => node.kind === 'logic.goal';
  const afterById = new Map(after.nodes.map((n) => [n.id, n]));
  const beforeById = new Map(before.nodes.map((n) => [n.id, n]));
  for (const node of diff.added.filter(goal)) {
    const full = afterById.get(node.id);
    if (full) words.push(`the goal “${describeNode(full, names)}”`);
  }
  for (const change of diff.changed) {
    const full = afterById.get(change.id);
    if (full && goal(full)) words.push(`the goal “${describeNode(full, names)}”`);
  }
  for (const node of diff.removed.filter(goal)) {
    const full = beforeById.get(node.id);
    if (full) words.push(`no longer the goal “${describeNode(full, names)}”`);
  }
  return words;
}

/** What the new rules do to the entries in progress, under each carry-over choice. */
export function newRulesForEntriesInProgress(
  rules: string[],
  live: number,
  /** Some entries wait on versions before the live one. */
  onEarlier = false,
): string | null {
  if (rules.length === 0) return null;
  const list =
    rules.length === 1 ? rules[0] : `${rules.slice(0, -1).join('; ')}; and ${rules.at(-1)}`;
  return `Version ${live + 1} changes the journey’s rules: ${list}. They apply to the entries you move, from their next step, and to everyone who enters from now on. ${onEarlier ? 'Entries that finish on the version they are on keep that version’s rules.' : `Entries that finish on version ${live} keep version ${live}’s rules.`}`;
}
