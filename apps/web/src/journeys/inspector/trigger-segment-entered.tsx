import { Field } from '../../forms/field';
import { SegmentPicker } from '../../forms/pickers';
import { useSegments } from '../../lib/catalog';
import { countOf } from '../../lib/format';
import { SegmentEntryOnceNotice } from './entry-once-notice';
import { textOf, type KindFormProps } from './form-props';

export function TriggerSegmentEnteredForm({ config, set, names }: KindFormProps) {
  const segmentId = textOf(config.segmentId);
  const segment = useSegments().items.find((s) => s.id === segmentId);
  return (
    <>
      <Field label="When a contact enters" path="config.segmentId">
        {(ids) => (
          <SegmentPicker {...ids} value={segmentId} onChange={(v) => set('segmentId', v)} />
        )}
      </Field>
      {segment && (
        // Publishing starts runs for the contacts who enter from then on, not for those already
        // in: a marketer who expects the Inactive base to get the win-back learns it here.
        <div className="muted small segment-entry-scope">
          {segment.description && <p>{segment.description}</p>}
          <p>
            It starts for each contact as they enter {segment.name}, not for those already in it
            when it is published
            {segment.memberCount > 0
              ? ` (${countOf(segment.memberCount, 'contact')} in it now): “Enrol contacts” in the journey’s live view takes them in.`
              : '.'}
          </p>
        </div>
      )}
      <SegmentEntryOnceNotice
        segment={segmentId && (names.segmentName?.(segmentId) ?? segmentId)}
      />
    </>
  );
}
