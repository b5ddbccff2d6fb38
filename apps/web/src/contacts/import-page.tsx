import { BUILTIN_FIELD_LABELS } from '@relance/flow';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { Link } from 'wouter';
import { PageHeader } from '../components/layout';
import { ErrorNotice } from '../components/status';
import { SegmentPicker } from '../forms/pickers';
import { TYPE_LABELS, type PropertyType } from '../conditions/property-types';
import { catalogKeys, useKnownProperties } from '../lib/catalog';
import { contactsApi, type ImportReport } from './contact-api';
import {
  defaultTarget,
  mappingOf,
  readCsvHead,
  writtenDateOrder,
  type ColumnTarget,
  type DateOrder,
  type Delimiter,
} from './csv-head';
import './contacts.css';

const FIELD_LABELS = {
  $email: BUILTIN_FIELD_LABELS.$email,
  $external_id: BUILTIN_FIELD_LABELS.$external_id,
  $tags: 'Tags (comma separated)',
  $timezone: BUILTIN_FIELD_LABELS.$timezone,
  $lifecycle_stage: BUILTIN_FIELD_LABELS.$lifecycle_stage,
} as const;

function targetValue(t: ColumnTarget): string {
  return t.kind === 'skip' ? 'skip' : t.kind === 'field' ? t.field : 'property';
}

function MappingRow({
  header,
  sample,
  target,
  guessed,
  registered,
  onChange,
}: {
  header: string;
  sample: string;
  target: ColumnTarget;
  /** What the column becomes before the marketer changes it. */
  guessed: ColumnTarget;
  /** The registered type of the property the column is imported as, if it has one. */
  registered: PropertyType | undefined;
  onChange: (t: ColumnTarget) => void;
}) {
  return (
    <tr>
      <th scope="row">{header || <span className="muted">(no header)</span>}</th>
      <td className="sample" title={sample}>
        {sample}
      </td>
      <td>
        <select
          aria-label={`Import “${header}” as`}
          value={targetValue(target)}
          onChange={(e) => {
            const v = e.target.value;
            if (v === 'skip') onChange({ kind: 'skip' });
            else if (v === 'property')
              onChange(
                guessed.kind === 'property'
                  ? guessed
                  : { kind: 'property', property: '', type: 'string' },
              );
            else onChange({ kind: 'field', field: v as keyof typeof FIELD_LABELS });
          }}
        >
          {Object.entries(FIELD_LABELS).map(([field, label]) => (
            <option key={field} value={field}>
              {label}
            </option>
          ))}
          <option value="property">A property…</option>
          <option value="skip">Skip this column</option>
        </select>
      </td>
      <td>
        {target.kind === 'property' && (
          <div className="inline-fields">
            <input
              aria-label={`Property name for “${header}”`}
              value={target.property}
              onChange={(e) => onChange({ ...target, property: e.target.value })}
            />
            <select
              aria-label={`Type of “${header}”`}
              value={target.type}
              onChange={(e) => onChange({ ...target, type: e.target.value as typeof target.type })}
            >
              {target.type === 'auto' && (
                <option value="auto">
                  {registered ? `As registered (${TYPE_LABELS[registered]})` : 'As registered'}
                </option>
              )}
              <option value="string">Text</option>
              <option value="number">Number</option>
              <option value="boolean">Yes / no</option>
              <option value="date">Date</option>
            </select>
          </div>
        )}
      </td>
    </tr>
  );
}

const LEVELS = {
  Rejected: 'Row not imported',
  Mapping: 'Column not read',
  Warning: 'Value left out',
} as const;

const DATE_EXAMPLES: Record<DateOrder, string> = {
  dmy: '04/03/2019 is read as 4 March 2019',
  mdy: '04/03/2019 is read as April 3, 2019',
  ymd: '2019/04/03 is read as April 3, 2019',
};

const DATE_ORDERS: { order: DateOrder; label: string }[] = [
  { order: 'dmy', label: 'Day first: 31/12/2019' },
  { order: 'mdy', label: 'Month first: 12/31/2019' },
  { order: 'ymd', label: 'Year first: 2019/12/31' },
];

function Report({ report }: { report: ImportReport }) {
  const skipped = report.rowsWithSkippedValues;
  const warned = report.warned;
  const problems = [
    ...report.rejections.map((r) => ({ ...r, level: 'Rejected' as const })),
    // Mapping warnings are on line 1, before the cells left out.
    ...report.warnings.map((w) => ({
      ...w,
      level: w.line === 1 ? ('Mapping' as const) : ('Warning' as const),
    })),
  ];
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">Import finished</h2>
      <div className="report-numbers">
        <div>
          <strong data-testid="import-created">{report.created.toLocaleString()}</strong> created
        </div>
        <div>
          <strong>{report.updated.toLocaleString()}</strong> updated
        </div>
        <div>
          <strong className={report.rejected > 0 ? 'bad' : ''}>
            {report.rejected.toLocaleString()}
          </strong>{' '}
          rejected
        </div>
        <div>
          <strong>{report.rows.toLocaleString()}</strong> rows read
        </div>
      </div>
      {skipped > 0 && (
        <p className="notice warn" data-testid="import-skipped">
          {skipped === 1
            ? '1 contact was imported without some of its values:'
            : `${skipped.toLocaleString()} contacts were imported without some of their values:`}{' '}
          the cells below could not be read, so they were left out (a contact already here keeps
          what it had). Correct them in the file and import it again to fill them in.
        </p>
      )}
      {(report.rejected > report.rejections.length || warned > report.warnings.length) && (
        <p className="field-hint">
          Showing the first {report.rejections.length.toLocaleString()} of{' '}
          {report.rejected.toLocaleString()} rejected rows and the first{' '}
          {report.warnings.length.toLocaleString()} of {warned.toLocaleString()} warnings.
        </p>
      )}
      {problems.length > 0 && (
        <table className="data-table compact-table">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p, i) => (
              <tr key={i}>
                <td>{p.line}</td>
                <td>{p.field}</td>
                <td>
                  <strong>{LEVELS[p.level]}:</strong> {p.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link href="/contacts">See the contacts</Link>
      </p>
    </section>
  );
}

/** /contacts/import — upload a CSV file, map its columns, read the report. */
export function ContactImportPage() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [head, setHead] = useState<{
    delimiter: Delimiter;
    headers: string[];
    sample: string[][];
    rows: string[][];
  } | null>(null);
  const [dateOrder, setDateOrder] = useState<DateOrder | ''>('');
  const [guesses, setGuesses] = useState<ColumnTarget[]>([]);
  const [targets, setTargets] = useState<ColumnTarget[]>([]);
  const known = useKnownProperties();
  const registered = new Map(known.items.map((p) => [p.name, p.type] as const));
  const [segmentId, setSegmentId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0] ?? null;
    setFile(chosen);
    setReport(null);
    setError(null);
    if (!chosen) return setHead(null);
    // The first 64 KB hold the header and enough rows to show each column and guess its type.
    const parsed = readCsvHead(await chosen.slice(0, 65_536).text(), 3, {
      complete: chosen.size <= 65_536,
    });
    // A property the workspace knows keeps its type; a new one takes the type its values show.
    // Without the registry (it could not be loaded), the server chooses: registered type or text.
    const defaults = parsed.headers.map((header, i) =>
      defaultTarget(
        header,
        known.available ? parsed.rows.map((row) => row[i] ?? '') : undefined,
        registered,
      ),
    );
    setHead(parsed);
    setGuesses(defaults);
    setTargets(defaults);
    // The order the file's dates show (31/12/2019 is day first); none when all could be either.
    setDateOrder(writtenDateOrder(parsed.rows.flat()).order ?? '');
  }

  async function upload() {
    if (!file || !head) return;
    setBusy(true);
    setError(null);
    try {
      const query = new URLSearchParams({
        mapping: JSON.stringify(mappingOf(head.headers, targets)),
        delimiter: head.delimiter,
        ...(segmentId ? { segmentId } : {}),
        ...(datesWritten.present && dateOrder ? { dateOrder } : {}),
      });
      setReport(await contactsApi.importCsv(file, query));
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      await queryClient.invalidateQueries({ queryKey: ['segments'] });
      // The file may have brought new properties and tags: the segment builder offers them.
      await queryClient.invalidateQueries({ queryKey: catalogKeys.registry });
      await queryClient.invalidateQueries({ queryKey: catalogKeys.tags });
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  }

  // Dates such as 04/03/2019 in a column imported as dates: the server reads them only in the
  // order the marketer names.
  const datesWritten = writtenDateOrder(
    head
      ? head.headers.flatMap((_, i) => {
          const t = targets[i];
          const isDate =
            t?.kind === 'property' &&
            (t.type === 'date' || (t.type === 'auto' && registered.get(t.property) === 'date'));
          return isDate ? head.rows.map((row) => row[i] ?? '') : [];
        })
      : [],
  );
  const hasIdentity = targets.some(
    (t) => t.kind === 'field' && (t.field === '$email' || t.field === '$external_id'),
  );
  return (
    <>
      <PageHeader
        title="Import contacts"
        subtitle="From a CSV file: existing contacts (same email or external id) are updated, not duplicated."
        actions={
          <Link href="/contacts" className="button">
            Back to contacts
          </Link>
        }
      />
      <section className="card">
        <label htmlFor="csv-file">CSV file</label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          // The workspace's properties first: a column named like one keeps its type.
          disabled={known.loading}
          onChange={(e) => void choose(e)}
        />
        {file && head && (
          <p className="field-hint">
            {file.name}: {head.headers.length} columns, separated by “
            {head.delimiter === '\t' ? 'tab' : head.delimiter}”.
          </p>
        )}
      </section>
      {head && !report && (
        <section className="card">
          <h2>What each column becomes</h2>
          <table className="data-table compact-table mapping-table">
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">First value</th>
                <th scope="col">Import as</th>
                <th scope="col">Property</th>
              </tr>
            </thead>
            <tbody>
              {head.headers.map((header, i) => (
                <MappingRow
                  key={`${header}:${i}`}
                  header={header}
                  sample={head.sample[0]?.[i] ?? ''}
                  target={targets[i] ?? { kind: 'skip' }}
                  guessed={guesses[i] ?? { kind: 'skip' }}
                  registered={(() => {
                    const t = targets[i];
                    return t?.kind === 'property' ? registered.get(t.property) : undefined;
                  })()}
                  onChange={(t) => setTargets(targets.map((x, j) => (j === i ? t : x)))}
                />
              ))}
            </tbody>
          </table>
          {datesWritten.present && (
            <div className="field">
              <label htmlFor="import-date-order">How are the dates in this file written?</label>
              <select
                id="import-date-order"
                value={dateOrder}
                onChange={(e) => setDateOrder(e.target.value as DateOrder | '')}
              >
                <option value="">Choose…</option>
                {DATE_ORDERS.map(({ order, label }) => (
                  <option key={order} value={order}>
                    {label}
                  </option>
                ))}
              </select>
              <p className={dateOrder ? 'field-hint' : 'notice warn'}>
                {dateOrder
                  ? datesWritten.order && datesWritten.order !== dateOrder
                    ? 'The first rows hold a date that cannot be read this way: those dates will be left out and listed in the report.'
                    : `${DATE_EXAMPLES[dateOrder]}, in every date column.`
                  : 'A date such as 04/03/2019 is 4 March to some and 3 April to others: choose, or those dates are left out and listed in the report.'}
              </p>
            </div>
          )}
          {!hasIdentity && (
            <p className="notice warn">
              Map a column to Email or External id: that is how contacts are recognised.
            </p>
          )}
          <div className="field">
            <label htmlFor="import-segment">Also add them to a list (optional)</label>
            <SegmentPicker
              id="import-segment"
              onlyStatic
              value={segmentId}
              onChange={setSegmentId}
            />
          </div>
          {error && <ErrorNotice error={error} />}
          <button
            type="button"
            className="primary"
            onClick={() => void upload()}
            disabled={busy || !hasIdentity}
          >
            {busy ? 'Importing…' : 'Import'}
          </button>
        </section>
      )}
      {report && <Report report={report} />}
    </>
  );
}
