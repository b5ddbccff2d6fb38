import { Template, type TemplateInput } from './template';

/** A valid marketing template in MJML, overridable field by field. */
export function marketingTemplate(overrides: Partial<TemplateInput> = {}): Template {
  return Template.parse({
    name: 'Welcome',
    kind: 'marketing',
    topic: 'newsletter',
    from: { name: 'Acme', address: 'news@acme.test' },
    subject: 'Hi {{ contact.first_name | default: "there" }}',
    preheader: 'Thanks for your {{ event.product }}',
    body: {
      kind: 'mjml',
      source: `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text><h1>Hello {{ contact.first_name | default: "there" }}</h1></mj-text>
        <mj-text>You bought {{ event.product }} from {{ workspace.name }}.
          <a href="https://shop.test/p?id={{ event.product_id }}&amp;ref=mail">See it</a></mj-text>
        {% if contact.segments contains "vip" %}
        <mj-text>VIP: 20% off your next order</mj-text>
        {% endif %}
        <mj-button href="{{ event.url }}">Open your order</mj-button>
      </mj-column>
    </mj-section>
    <mj-section>
      <mj-column>
        <mj-text><a href="{{ preferences_url }}">Preferences</a> · <a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`,
    },
    ...overrides,
  });
}

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';
