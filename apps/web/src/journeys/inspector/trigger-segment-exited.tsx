import { Field } from '../../forms/field';
import { SegmentPicker } from '../../forms/pickers';
import { SegmentEntryOnceNotice } from './entry-once-notice';
import { textOf, type KindFormProps } from './form-props';

export function TriggerSegmentExitedForm({ config, set, names }: KindFormProps) {
  const segmentId = textOf(config.segmentId);
  return (
    <>
      <Field label="When a contact leaves" path="config.segmentId">
        {(ids) => (
          <SegmentPicker {...ids} value={segmentId} onChange={(v) => set('segmentId', v)} />
        )}
      </Field>
      <SegmentEntryOnceNotice
        segment={segmentId && (names.segmentName?.(segmentId) ?? segmentId)}
        leaves
      />
    </>
  );
}
