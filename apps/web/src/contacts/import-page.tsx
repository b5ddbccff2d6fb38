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
  type ColumnTarget,
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

function Report({ report }: { report: ImportReport }) {
  const problems = [
    ...report.rejections.map((r) => ({ ...r, level: 'Rejected' })),
    ...report.warnings.map((w) => ({ ...w, level: 'Warning' })),
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
                  <strong>{p.level}:</strong> {p.reason}
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
  } | null>(null);
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
