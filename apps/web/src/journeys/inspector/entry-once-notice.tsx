import { eventWords, isOneTimeEvent, type DescribeContext } from '@relance/flow';
import { useKnownProperties } from '../../lib/catalog';
import { useEditor } from '../canvas/editor-context';
import { suggestEntryKey } from './entry-key';

/**
 * Under an event trigger that lets each contact in once, ever: what that means for their next
 * order, and one click to start a run per order instead. Nothing once an entry key is chosen or
 * contacts may enter again (a stored journey keeps its setting; the marketer decides).
 */
export function EntryOnceNotice({
  event,
  entryKey,
  names,
  onKey,
}: {
  event: string;
  entryKey: string;
  names: DescribeContext;
  onKey: (key: string) => void;
}) {
  const settings = useEditor((s) => s.settings);
  const readOnly = useEditor((s) => s.readOnly);
  const properties = useKnownProperties(event || undefined);
  const policy = (settings.entryPolicy as { kind?: string } | undefined)?.kind ?? 'once';
  // Relance's own events (an email's fate, a form's signup) and a signup by its usual names are
  // not things a contact does again and again.
  if (
    event === '' ||
    entryKey !== '' ||
    policy !== 'once' ||
    /^(email|form)\./.test(event) ||
    isOneTimeEvent(event)
  ) {
    return null;
  }
  const words = eventWords(event, names);
  const next = words
    ? `the next time they ${words.do}, nothing starts`
    : `a second “${event}” starts nothing`;
  const key = suggestEntryKey(
    event,
    properties.items.map((p) => p.name),
  );
  return (
    <div className="notice warn entry-once" role="status">
      <p>
        Each contact goes through this journey once, ever: {next}.{' '}
        {key
          ? `Start one journey per ${key} to follow every one of them,`
          : 'Choose a property under “One journey per” (such as orderId) to follow every one of them,'}{' '}
        or let contacts in again under Journey settings → “Who can enter”.
      </p>
      {key && !readOnly && (
        <button type="button" onClick={() => onKey(key)}>
          One journey per {key}
        </button>
      )}
    </div>
  );
}

/**
 * Under a segment trigger that lets each contact in once, ever: membership comes and goes (a
 * customer who clicks again leaves Inactive and may fall silent again), and only the first entry
 * starts a run, so the second win-back is never sent. One click lets them in again once they have
 * left the journey, as the ready-made reactivation does.
 */
export function SegmentEntryOnceNotice({
  segment,
  leaves,
}: {
  /** The segment's name, empty while none is chosen. */
  segment: string;
  /** A "leaves segment" trigger rather than "enters". */
  leaves?: boolean;
}) {
  const settings = useEditor((s) => s.settings);
  const readOnly = useEditor((s) => s.readOnly);
  const setSettings = useEditor((s) => s.setSettings);
  const policy = (settings.entryPolicy as { kind?: string } | undefined)?.kind ?? 'once';
  if (segment === '' || policy !== 'once') return null;
  return (
    <div className="notice warn entry-once" role="status">
      <p>
        Each contact goes through this journey once, ever: the next time they{' '}
        {leaves ? 'leave' : 'enter'} {segment}, nothing starts. Let them in again once they have
        left the journey, under Journey settings → “Who can enter”, unless once ever is meant.
      </p>
      {!readOnly && (
        <button
          type="button"
          onClick={() =>
            setSettings({ ...settings, entryPolicy: { kind: 'after_exit' } }, 'entryPolicy')
          }
        >
          Let them in again
        </button>
      )}
    </div>
  );
}
