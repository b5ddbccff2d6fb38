import { escapeHtml } from './compile-template';
import type { FormDefinition, FormField } from './form';
import type { PageLanguage } from './hosted-pages-language';
import { formText } from './hosted-pages-text';

/** A form whose definition may name its submit button: the marketer's words, in their language. */
export type FormWithButton = FormDefinition & { submitLabel?: string | null };

/**
 * The embeddable HTML of a form: a plain `<form>` posting to `actionUrl` (the API's `/f/:formId`),
 * styled by the host site, with the honeypot hidden from people and from screen readers. The
 * labels are the marketer's, as written, and so is the submit button's when the form names one
 * (`submitLabel`); otherwise it says "Subscribe" in `language` (default English): for a snippet,
 * the workspace's page language, as the form's site has no visitor yet to ask.
 */
export function renderFormSnippet(
  form: FormWithButton,
  options: { actionUrl: string; submitLabel?: string; language?: PageLanguage },
): string {
  const fields = form.fields.map(renderField).join('\n');
  const honeypot = `  <div style="position:absolute;left:-10000px" aria-hidden="true"><input type="text" name="${escapeHtml(form.honeypotField)}" tabindex="-1" autocomplete="off" value=""></div>`;
  const submit = escapeHtml(
    options.submitLabel || form.submitLabel?.trim() || formText(options.language ?? 'en').submit,
  );
  return `<form class="relance-form" method="post" action="${escapeHtml(options.actionUrl)}" accept-charset="utf-8">
${fields}
${honeypot}
  <button type="submit">${submit}</button>
</form>`;
}

/**
 * A complete page hosting the form, for a link when there is no site to embed it in, in the
 * visitor's `language` (`<html lang>` and the page's own words; default English). The title (the
 * form's name) and the labels stay as the marketer wrote them.
 */
export function renderFormPage(
  form: FormWithButton,
  options: { actionUrl: string; title: string; submitLabel?: string; language?: PageLanguage },
): string {
  const title = escapeHtml(options.title);
  return `<!doctype html>
<html lang="${options.language ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #1f2328; }
  .relance-form label { display: block; margin: 1rem 0 0.25rem; font-weight: 600; }
  .relance-form input[type=text], .relance-form input[type=email], .relance-form select, .relance-form textarea { width: 100%; padding: 0.5rem; box-sizing: border-box; }
  .relance-form .checkbox label { display: inline; font-weight: normal; }
  .relance-form button { margin-top: 1.5rem; padding: 0.6rem 1.2rem; }
</style>
</head>
<body>
<h1>${title}</h1>
${renderFormSnippet(form, options)}
</body>
</html>
`;
}

function renderField(field: FormField): string {
  const id = `relance-${escapeHtml(field.name)}`;
  const name = escapeHtml(field.name);
  const label = escapeHtml(field.label);
  const required = field.required || field.type === 'email' ? ' required' : '';
  switch (field.type) {
    case 'email':
      return `  <label for="${id}">${label}</label>\n  <input id="${id}" type="email" name="${name}" autocomplete="email"${required}>`;
    case 'text':
      return field.multiline
        ? `  <label for="${id}">${label}</label>\n  <textarea id="${id}" name="${name}" maxlength="${field.maxLength}"${required}></textarea>`
        : `  <label for="${id}">${label}</label>\n  <input id="${id}" type="text" name="${name}" maxlength="${field.maxLength}"${required}>`;
    case 'select': {
      const options = field.options
        .map(
          (option) =>
            `    <option value="${escapeHtml(option.value)}">${escapeHtml(option.label)}</option>`,
        )
        .join('\n');
      return `  <label for="${id}">${label}</label>\n  <select id="${id}" name="${name}"${required}>\n    <option value=""></option>\n${options}\n  </select>`;
    }
    case 'checkbox':
      return `  <div class="checkbox"><input id="${id}" type="checkbox" name="${name}" value="on"${required}> <label for="${id}">${label}</label></div>`;
    default:
      return field satisfies never;
  }
}
