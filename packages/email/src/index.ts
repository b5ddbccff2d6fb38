export * from './template';
export * from './template-issue';
export * from './check-template';
export {
  compileTemplate,
  type CompiledTemplate,
  type RenderContext,
  type RenderedContent,
} from './compile-template';
export * from './template-cache';
export * from './tracking';
export * from './engagement-agent';
export * from './message';
export * from './build-message';
export * from './headers';
export * from './send-error';
export * from './rate-limiter';
export * from './providers/mail-provider';
export * from './providers/smtp';
export * from './providers/smtp-url';
export * from './providers/outbox';
export * from './send-policy';
export * from './prepare-send';
export * from './deliver-message';
export * from './store/templates';
export * from './store/messages';
export * from './store/suppressions';
export * from './store/consents';
export * from './store/outbox';
export * from './form';
export * from './form-html';
export * from './store/forms';
export * from './feedback';
export * from './apply-feedback';
export * from './store/message-log';
export * from './store/feedback-secrets';
export * from './store/form-submission-counts';
export * from './store/form-submissions';
export * from './send-context';
export * from './batch-statements';
export * from './send-template';
export * from './preview-template';
export * from './mail-setup';
export * from './consent-changes';
export * from './hosted-pages';
export * from './stored-template-cache';
