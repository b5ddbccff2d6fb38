/**
 * Why a field of a submitted form was refused: a stable code a site's script can act on, and
 * from which the hosted pages say it in the visitor's language (see FormText).
 */
export type FormIssueReason =
  /** The email field was left empty. */
  | 'email_missing'
  /** The email field does not hold an email address. */
  | 'email_invalid'
  /** A required text field was left empty. */
  | 'required'
  /** A text field holds more than its `maxLength` characters. */
  | 'too_long'
  /** A required select was left on its empty choice. */
  | 'not_chosen'
  /** A select's value is none of its options. */
  | 'not_an_option'
  /** A required checkbox was not ticked. */
  | 'not_ticked'
  /** The value holds a character PostgreSQL cannot store (a null character, half a character). */
  | 'unsavable';

/**
 * What the hosted form page and a form's field errors say on their own, in one language. `label`
 * is the field's label as the marketer wrote it (plain text, escaped when shown); `max` is
 * already formatted for the language.
 */
export interface FormText {
  /** The submit button when the form names none. */
  submit: string;
  issues: {
    email_missing: string;
    email_invalid: string;
    required(label: string): string;
    too_long(label: string, max: string): string;
    not_chosen(label: string): string;
    not_an_option(label: string): string;
    not_ticked(label: string): string;
    unsavable(label: string): string;
  };
}
