import { greetingLiquid } from './greeting';
import type { TemplateDraft } from './template-api';

/** What a new template starts from: a responsive MJML email greeting by `firstName`'s property. */
export const starterMjml = (firstName: string) => `<mjml>
  <mj-body background-color="#f6f7fb">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="20px" font-weight="700">Hi ${greetingLiquid(firstName)},</mj-text>
        <mj-text>Write your message here.</mj-text>
        <mj-button href="https://example.com" background-color="#4f46e5">Call to action</mj-button>
      </mj-column>
    </mj-section>
    <mj-section padding="12px">
      <mj-column>
        <mj-text font-size="12px" color="#5f6b7e" align="center">
          <a href="{{ preferences_url }}">Email preferences</a> · <a href="{{ unsubscribe_url }}">Unsubscribe</a>
        </mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

export function starterDraft(firstName = 'first_name'): TemplateDraft {
  return {
    name: '',
    kind: 'marketing',
    topic: null,
    from: { name: '', address: '' },
    replyTo: null,
    subject: '',
    preheader: '',
    body: { kind: 'mjml', source: starterMjml(firstName) },
    text: null,
  };
}
