import { BUILTIN_FIELD_LABELS, BUILTIN_FIELDS, EMAIL_ACTIONS, eventWords } from '@relance/flow';
import { useId, useState } from 'react';
import { TYPE_LABELS } from '../conditions/property-types';
import { CreateSegmentInline } from './create-segment';
import {
  useKnownEvents,
  useKnownProperties,
  useKnownTags,
  useSegments,
  useTemplates,
  type CatalogList,
} from '../lib/catalog';
import { useWorkspace } from '../lib/workspace';

interface PickerProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  describedBy?: string | undefined;
  invalid?: boolean;
}

function Unavailable({ list, what }: { list: CatalogList<unknown>; what: string }) {
  if (list.loading) return <p className="field-hint">Loading {what}…</p>;
  if (list.error)
    return (
      <p className="field-problems">
        Could not load {what}: {list.error.message}
      </p>
    );
  return <p className="field-hint">This build of Relance cannot list {what} yet: paste the id.</p>;
}

/** Chooses one item of a list by id; the id stays shown when the item no longer exists. */
function ListPicker<T extends { id: string; name: string }>({
  list,
  what,
  placeholder,
  extra,
  ...props
}: PickerProps & {
  list: CatalogList<T>;
  what: string;
  placeholder: string;
  /** One more choice after the list ("+ New list…"). */
  extra?: { value: string; label: string } | undefined;
}) {
  if (!list.available) {
    return (
      <>
        <input
          id={props.id}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value.trim())}
          aria-describedby={props.describedBy}
          aria-invalid={props.invalid || undefined}
          placeholder="Id"
        />
        <Unavailable list={list} what={what} />
      </>
    );
  }
  const known = list.items.some((item) => item.id === props.value);
  return (
    <select
      id={props.id}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      aria-describedby={props.describedBy}
      aria-invalid={props.invalid || undefined}
    >
      <option value="">{placeholder}</option>
      {!known && props.value !== '' && <option value={props.value}>Missing: {props.value}</option>}
      {list.items.map((item) => (
        <option key={item.id} value={item.id}>
          {item.name}
        </option>
      ))}
      {extra && <option value={extra.value}>{extra.label}</option>}
    </select>
  );
}

const CREATE = '\u0000create';

/** A segment; with `onlyStatic`, lists only, and a new list can be created on the spot. */
export function SegmentPicker(props: PickerProps & { onlyStatic?: boolean }) {
  const segments = useSegments();
  const [creating, setCreating] = useState(false);
  const list = props.onlyStatic
    ? { ...segments, items: segments.items.filter((s) => s.kind === 'static') }
    : segments;
  if (creating) {
    return (
      <CreateSegmentInline
        onCancel={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          props.onChange(id);
        }}
      />
    );
  }
  return (
    <ListPicker
      {...props}
      list={list}
      what="segments"
      placeholder={props.onlyStatic ? 'Choose a list…' : 'Choose a segment…'}
      extra={
        props.onlyStatic && list.available ? { value: CREATE, label: '+ New list…' } : undefined
      }
      onChange={(value) => (value === CREATE ? setCreating(true) : props.onChange(value))}
    />
  );
}

export function TemplatePicker(props: PickerProps) {
  const templates = useTemplates();
  return (
    <ListPicker
      {...props}
      list={templates}
      what="email templates"
      placeholder="Choose a template…"
    />
  );
}

/** A suggestion, with what the list shows beside it (a property's description or type). */
type Suggestion = string | { value: string; label: string };

/** Free text with suggestions: a name can be typed before the first such event arrives. */
function Suggest({
  options,
  ...props
}: PickerProps & { options: readonly Suggestion[]; placeholder?: string }) {
  const listId = useId();
  return (
    <>
      <input
        id={props.id}
        list={listId}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-describedby={props.describedBy}
        aria-invalid={props.invalid || undefined}
        placeholder={props.placeholder}
        autoComplete="off"
      />
      <datalist id={listId}>
        {options.map((o) =>
          typeof o === 'string' ? (
            <option key={o} value={o} />
          ) : (
            <option key={o.value} value={o.value} label={o.label} />
          ),
        )}
      </datalist>
    </>
  );
}

/**
 * The workspace's tags as suggestions for a text input: render it once and give the input
 * `list={id}`. Typing a tag never used before stays possible.
 */
export function KnownTagOptions({ id, except = [] }: { id: string; except?: readonly string[] }) {
  const tags = useKnownTags();
  return (
    <datalist id={id}>
      {tags.items
        .filter((t) => !except.includes(t))
        .map((t) => (
          <option key={t} value={t} />
        ))}
    </datalist>
  );
}

// Events Relance records itself, whatever the workspace sends.
const BUILTIN_EVENTS = [...EMAIL_ACTIONS.map((a) => `email.${a}`), 'form.submitted'];

/**
 * What an event is, in the words its step reads ("A contact places an order" for the workspace's
 * order event); undefined for an event of the workspace's own, named as it is written.
 */
export function eventLabel(event: string, orderEvent: string | undefined): string | undefined {
  const words = eventWords(event, { orderEvent });
  return words && `A contact ${words.does}`;
}

export function EventPicker(props: PickerProps) {
  const events = useKnownEvents();
  const orderEvent = useWorkspace().data?.conversionEvent;
  const names = [...new Set([...events.items, ...BUILTIN_EVENTS])].sort();
  const options = names.map((value) => {
    const label = eventLabel(value, orderEvent);
    return label ? { value, label } : value;
  });
  const name = props.value.trim();
  const chosen = eventLabel(name, orderEvent);
  // A hint, not a problem: a flow may wait for an event the workspace has not received yet.
  const unseen = events.available && name !== '' && !names.includes(name);
  return (
    <>
      <Suggest {...props} options={options} placeholder={orderEvent ?? 'order.completed'} />
      {chosen && (
        <span className="muted small" data-event-words>
          {chosen}
        </span>
      )}
      {unseen && (
        <p className="field-hint">
          No “{name}” event has arrived yet: check the spelling, or ignore this if it is new.
        </p>
      )}
    </>
  );
}

/**
 * Where a property typed in a condition is not one the workspace has received: the words to say
 * so, or undefined when it is known, built in, or inside a known group (address.city).
 */
export function unseenPropertyHint(
  name: string,
  known: readonly { name: string; type: string }[],
  event: string | undefined,
): string | undefined {
  const property = name.trim();
  if (property === '' || known.some((p) => p.name === property)) return undefined;
  if (!event && (BUILTIN_FIELDS as readonly string[]).includes(property)) return undefined;
  // The registry lists a group's name only: its fields cannot be checked.
  const group = known.find((p) => property.startsWith(`${p.name}.`));
  if (group && (group.type === 'object' || group.type === 'array')) return undefined;
  if (!event)
    return `No contact has a “${property}” property yet: check the spelling, or ignore this if it is new.`;
  const names = known.map((p) => p.name);
  return names.length === 0
    ? `No “${event}” event received so far has a “${property}” property.`
    : `No “${event}” event received so far has a “${property}” property. They have: ${names.join(', ')}.`;
}

/**
 * Contact properties, or the properties of `event` when filtering events; `placeholder` is the
 * example the empty box shows (`plan`, or `total` for an event's, unless given). With
 * `warnUnseen`, a property nothing has carried yet is said under the box: a condition on it
 * matches nobody until it arrives.
 */
export function PropertyPicker(
  props: PickerProps & { event?: string; placeholder?: string; warnUnseen?: boolean },
) {
  const properties = useKnownProperties(props.event);
  // Beside each name, what the team wrote about it on the properties page, else its type.
  const known = properties.items.map((p) => ({
    value: p.name,
    label: p.description || TYPE_LABELS[p.type],
  }));
  const builtins = BUILTIN_FIELDS.map((field) => ({
    value: field,
    label: `${BUILTIN_FIELD_LABELS[field]} (built-in field)`,
  }));
  const options = props.event ? known : [...known, ...builtins];
  const chosen = props.event ? undefined : builtins.find((b) => b.value === props.value.trim());
  const unseen =
    props.warnUnseen && properties.available
      ? unseenPropertyHint(props.value, properties.items, props.event)
      : undefined;
  return (
    <>
      <Suggest
        {...props}
        options={options}
        placeholder={props.placeholder ?? (props.event ? 'total' : 'plan')}
      />
      {chosen && (
        <span className="muted small" data-builtin-field>
          {chosen.label}
        </span>
      )}
      {unseen && <p className="field-hint">{unseen}</p>}
    </>
  );
}
