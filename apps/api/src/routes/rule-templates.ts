import { conditionReferences, type Condition } from '@relance/flow';
import type { AppDeps } from '../env';
import { ApiError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Refuses a rule whose email-engagement condition names a template the workspace does not have,
 * at its field under `root` (`rule.conditions.1.templateId`, `query.filter.conditions.1.templateId`):
 * it would count no email, so hold or find no one, without a word. An archived template is one:
 * its emails were sent, and are still opened and clicked.
 */
export async function checkRuleTemplates(
  sql: AppDeps['sql'],
  workspaceId: string,
  rule: Condition,
  root = 'rule',
): Promise<void> {
  const refs = conditionReferences(rule, root).filter((r) => r.type === 'template');
  if (refs.length === 0) return;
  const ids = [...new Set(refs.map((r) => r.id.toLowerCase()).filter((id) => UUID.test(id)))];
  const found =
    ids.length === 0
      ? []
      : await sql<{ id: string }[]>`
          select id::text from email_templates
          where workspace_id = ${workspaceId} and id = any(${ids}::uuid[])`;
  const known = new Set(found.map((t) => t.id));
  const issues = refs
    .filter((r) => !known.has(r.id.toLowerCase()))
    .map((r) => ({
      field: r.field,
      message: `No email template has the id ${r.id}: choose one of your templates, or any email`,
    }));
  if (issues.length > 0) throw new ApiError(400, 'invalid_rule', issues[0]!.message, issues);
}
