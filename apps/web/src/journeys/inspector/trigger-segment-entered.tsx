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
            Only contacts who enter {segment.name} from now on start this journey
            {segment.memberCount > 0
              ? `: the ${countOf(segment.memberCount, 'contact')} in it now ${segment.memberCount === 1 ? 'does' : 'do'} not. Once the journey is live, “Enrol contacts” in its live view takes them in.`
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
