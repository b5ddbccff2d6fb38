import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'wouter';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { aria, Field, FieldProblems } from '../forms/field';
import { EventPicker, PropertyPicker } from '../forms/pickers';
import { api, ApiFailure, call, read } from '../lib/api';
import { countOf } from '../lib/format';
import { RecheckStatus } from '../components/recheck-status';
import { useWorkspace, useWorkspaceTime, workspaceKey, type Workspace } from '../lib/workspace';
import { backlogText, backlogTone, type DispatchBacklog } from '../lib/journey-deliveries';

interface Health {
  status: 'ok' | 'degraded';
  postgres: 'ok' | 'down';
  temporal: 'ok' | 'down';
  version: string;
  problems?: string[];
}

/** The languages the API's hosted pages speak (PAGE_LANGUAGES in packages/email), in their own words. */
const PAGE_LANGUAGES = [
  ['en', 'English'],
  ['fr', 'Français'],
  ['de', 'Deutsch'],
  ['es', 'Español'],
  ['it', 'Italiano'],
  ['nl', 'Nederlands'],
] as const;

type Settings = Pick<
  Workspace,
  | 'name'
  | 'timezone'
  | 'pageLanguage'
  | 'conversionEvent'
  | 'conversionValueProperty'
  | 'attributionWindowDays'
  | 'currency'
>;

const TIME_ZONES = Intl.supportedValuesOf('timeZone');
const CURRENCIES = Intl.supportedValuesOf('currency');
const currencyName = new Intl.DisplayNames(['en'], { type: 'currency' });

/**
 * A settings form: its own draft of some fields, saved with PATCH /api/workspace; the problems
 * the API names show under their fields, and what the change did shows once saved.
 */
function SettingsForm<K extends keyof Settings>({
  workspace,
  fields,
  title,
  id,
  intro,
  saving = () => 'Saving…',
  saved,
  children,
}: {
  workspace: Workspace;
  fields: readonly K[];
  title: string;
  id: string;
  intro?: ReactNode;
  /** What the button says while the change is saved (and whatever it sets off runs). */
  saving?: (draft: Pick<Settings, K>) => string;
  /** What to say once saved, from the API's answer. */
  saved: (answer: SaveAnswer) => string;
  children: (draft: Pick<Settings, K>, set: (key: K, value: Settings[K]) => void) => ReactNode;
}) {
  const queryClient = useQueryClient();
  const initial = () => {
    const values = {} as Pick<Settings, K>;
    for (const key of fields) values[key] = workspace[key];
    return values;
  };
  const [draft, setDraft] = useState(initial);
  const save = useMutation({
    mutationFn: () => call(api.api.workspace.$patch({ json: draft })),
    onSuccess: async (answer) => {
      queryClient.setQueryData(workspaceKey, answer);
      // Reports count orders again, and segments may have moved.
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'workspace' });
    },
  });
  const dirty = fields.some((key) => draft[key] !== workspace[key]);
  const issues = save.error instanceof ApiFailure ? save.error.issues : [];
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {intro}
      <form onSubmit={submit} className="settings-form">
        <FieldProblems problems={issues}>
          {children(draft, (key, value) => {
            save.reset();
            setDraft({ ...draft, [key]: value });
          })}
        </FieldProblems>
        {save.isError && issues.length === 0 && <ErrorNotice error={save.error} />}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!dirty || save.isPending}>
            {save.isPending ? saving(draft) : 'Save'}
          </button>
          {dirty && (
            <button type="button" onClick={() => (setDraft(initial()), save.reset())}>
              Discard changes
            </button>
          )}
          {save.isSuccess && !dirty && (
            <p className="save-state ok" role="status">
              {saved(save.data)}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}

interface SaveAnswer {
  changed: string[];
  reattributed: number | null;
}

/** The name a new workspace is given (packages/db's createWorkspace). */
const FIRST_NAME = 'My workspace';

/**
 * Where contacts read the workspace's name: the unsubscribe and preference pages say "“Orders”
 * emails from <name>", so the name a new workspace is given would reach them as it is.
 */
function nameHint(name: string): string {
  const where = 'the unsubscribe and preference pages your emails link to';
  return name.trim() === FIRST_NAME
    ? `Still the name Relance gave it: your contacts would read “emails from ${FIRST_NAME}” on ${where}. Write the name they know you by.`
    : `Your contacts read it on ${where}: “emails from ${name.trim() || 'us'}”.`;
}

function WorkspaceForm({ workspace }: { workspace: Workspace }) {
  return (
    <SettingsForm
      workspace={workspace}
      fields={['name', 'timezone', 'pageLanguage'] as const}
      title="Workspace"
      id="settings-workspace"
      intro={
        <RecheckStatus
          recheck={workspace.timezoneRecheck}
          what="Re-checking every score and segment in the new time zone"
          after="the last change of time zone"
        />
      }
      saved={() => 'Saved.'}
    >
      {(draft, set) => (
        <>
          <Field label="Name" path="name" hint={nameHint(draft.name)}>
            {(ids) => (
              <input
                {...aria(ids)}
                value={draft.name}
                onChange={(e) => set('name', e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Time zone"
            path="timezone"
            hint="The calendar of reports, dates in segment rules, birthdays and anniversaries, and quiet hours for contacts without their own."
          >
            {(ids) => (
              <select
                {...aria(ids)}
                value={draft.timezone}
                onChange={(e) => set('timezone', e.target.value)}
              >
                {[...new Set([draft.timezone, 'UTC', ...TIME_ZONES])].map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll('_', ' ')}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Language of your contacts' pages"
            path="pageLanguage"
            hint="The unsubscribe, preference and sign-up confirmation pages, for contacts without a language of their own (a locale property). Automatic uses the language of their browser, else English."
          >
            {(ids) => (
              <select
                {...aria(ids)}
                value={draft.pageLanguage ?? ''}
                onChange={(e) => set('pageLanguage', e.target.value === '' ? null : e.target.value)}
              >
                <option value="">Automatic (their browser&apos;s language)</option>
                {PAGE_LANGUAGES.map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
    </SettingsForm>
  );
}

/**
 * With orders arriving under another name, the segments and score rules that still read the
 * built-in order event: they would wait for orders that never come.
 */
function OrderReaders({ workspace }: { workspace: Workspace }) {
  const { segments, scoringRules } = workspace.builtinOrderReaders;
  if (segments.length === 0 && scoringRules.length === 0) return null;
  return (
    <div className="notice warn" role="note" data-testid="order-readers">
      <p>
        Your orders arrive as <code>{workspace.conversionEvent}</code>, but these still read{' '}
        <code>{workspace.builtinOrderEvent}</code>: change them so they follow your orders.
      </p>
      <ul>
        {segments.map((segment) => (
          <li key={segment.id}>
            Segment <Link href={`/segments/${segment.id}`}>{segment.name}</Link>
          </li>
        ))}
        {scoringRules.length > 0 && (
          <li>
            Score {scoringRules.length === 1 ? 'rule' : 'rules'}{' '}
            <Link href="/scoring">{scoringRules.join(', ')}</Link>
          </li>
        )}
      </ul>
    </div>
  );
}

function OrdersForm({ workspace }: { workspace: Workspace }) {
  return (
    <SettingsForm
      workspace={workspace}
      fields={
        ['conversionEvent', 'conversionValueProperty', 'attributionWindowDays', 'currency'] as const
      }
      title="Orders and revenue"
      id="settings-orders"
      saving={(draft) =>
        draft.conversionEvent === workspace.conversionEvent &&
        draft.conversionValueProperty === workspace.conversionValueProperty &&
        draft.attributionWindowDays === workspace.attributionWindowDays
          ? 'Saving…'
          : 'Saving and counting the orders again…'
      }
      intro={
        <>
          <p className="muted">
            An order counts for the last email its buyer clicked within the window before it, else
            the last one they opened themselves (an open by a mail privacy proxy or a scanner does
            not count). Email results show these orders and their value. Changing the event, its
            value, the window or the currency counts the orders of the last{' '}
            {countOf(workspace.reattributionDays, 'day')} again.
          </p>
          <OrderReaders workspace={workspace} />
        </>
      }
      saved={(answer) =>
        answer.reattributed === null
          ? 'Saved.'
          : `Saved. Orders counted again: ${countOf(answer.reattributed, 'order')} now come from an email.`
      }
    >
      {(draft, set) => (
        <>
          <Field
            label="Order event"
            path="conversionEvent"
            hint="The event your site sends when someone buys."
          >
            {(ids) => (
              <EventPicker
                id={ids.id}
                describedBy={ids.describedBy}
                invalid={ids.invalid}
                value={draft.conversionEvent}
                onChange={(value) => set('conversionEvent', value)}
              />
            )}
          </Field>
          <Field
            label="Value property"
            path="conversionValueProperty"
            hint="The order's property holding its amount. Leave it empty to count orders without a value."
          >
            {(ids) => (
              <PropertyPicker
                id={ids.id}
                describedBy={ids.describedBy}
                invalid={ids.invalid}
                event={draft.conversionEvent}
                value={draft.conversionValueProperty ?? ''}
                onChange={(value) => set('conversionValueProperty', value === '' ? null : value)}
              />
            )}
          </Field>
          <Field
            label="Attribution window (days)"
            path="attributionWindowDays"
            hint="From 1 to 30 days after the email was opened or clicked."
          >
            {(ids) => (
              <input
                {...aria(ids)}
                type="number"
                min={1}
                max={30}
                value={Number.isNaN(draft.attributionWindowDays) ? '' : draft.attributionWindowDays}
                onChange={(e) => set('attributionWindowDays', e.target.valueAsNumber)}
              />
            )}
          </Field>
          <Field label="Currency" path="currency" hint="The currency your order values are in.">
            {(ids) => (
              <select
                {...aria(ids)}
                value={draft.currency}
                onChange={(e) => set('currency', e.target.value)}
              >
                {CURRENCIES.map((code) => (
                  <option key={code} value={code}>
                    {code} — {currencyName.of(code)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
    </SettingsForm>
  );
}

export function SettingsPage() {
  const workspace = useWorkspace();
  const time = useWorkspaceTime();
  const health = useQuery({
    queryKey: ['health'],
    // 503 still carries the health body, so read it whatever the status.
    queryFn: async (): Promise<Health> => (await api.api.health.$get()).json(),
    refetchInterval: 10_000,
  });
  const backlog = useQuery({
    queryKey: ['dispatch-backlog'],
    queryFn: () => read<DispatchBacklog>(api.api.journeys['dispatch-backlog'].$get()),
    refetchInterval: 10_000,
  });
  return (
    <>
      <PageHeader
        title="Settings"
        subtitle="Your workspace, the keys to send it data, and the state of the system."
      />
      {workspace.isPending && <Loading what="the workspace" />}
      {workspace.isError && (
        <ErrorNotice error={workspace.error} onRetry={() => void workspace.refetch()} />
      )}
      {workspace.isSuccess && (
        <>
          <WorkspaceForm workspace={workspace.data} />
          <section className="card" aria-labelledby="settings-keys">
            <h2 id="settings-keys">Sending data in</h2>
            <dl className="facts">
              <dt>Ingestion URL</dt>
              <dd>
                <code>{workspace.data.ingestionUrl}</code>
              </dd>
              <dt>Write key</dt>
              <dd>
                <code data-testid="write-key">{workspace.data.writeKey}</code>
                <p className="muted">
                  Send events with it: Segment-compatible libraries accept it as the write key.
                </p>
              </dd>
            </dl>
          </section>
          <OrdersForm workspace={workspace.data} />
        </>
      )}
      <section className="card">
        <h2>System status</h2>
        {health.isPending && <Loading what="the system status" />}
        {health.isError && (
          <ErrorNotice error={health.error} onRetry={() => void health.refetch()} />
        )}
        {health.isSuccess && (
          <dl className="facts">
            <dt>PostgreSQL</dt>
            <dd className={health.data.postgres === 'ok' ? 'ok' : 'bad'}>
              {health.data.postgres === 'ok' ? 'Running' : 'Unreachable'}
            </dd>
            <dt>Temporal</dt>
            <dd className={health.data.temporal === 'ok' ? 'ok' : 'bad'}>
              {health.data.temporal === 'ok' ? 'Running' : 'Unreachable'}
            </dd>
            <dt>Journey deliveries</dt>
            <dd
              data-testid="dispatch-backlog"
              className={backlog.isSuccess ? backlogTone(backlog.data) : undefined}
            >
              {backlog.isSuccess
                ? backlogText(backlog.data, time)
                : backlog.isError
                  ? `Unknown: ${backlog.error.message}`
                  : 'Checking…'}
            </dd>
            <dt>Version</dt>
            <dd>{health.data.version}</dd>
          </dl>
        )}
      </section>
    </>
  );
}
