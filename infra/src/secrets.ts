import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Config } from '@relance/config';

export interface Secrets {
  adminToken: string;
  signingSecret: string;
}

/**
 * The admin token and link-signing secret: from RELANCE_ADMIN_TOKEN / RELANCE_SECRET when set,
 * otherwise generated on first start and kept in `<dataDir>/secrets.json` (mode 600).
 */
export async function resolveSecrets(
  config: Config,
  dataDir: string,
): Promise<Secrets & { generated: boolean }> {
  const file = `${dataDir}/secrets.json`;
  const stored = await readFile(file, 'utf8')
    .then((text): Partial<Secrets> => JSON.parse(text) as Partial<Secrets>)
    .catch((): Partial<Secrets> => ({}));
  const secrets: Secrets = {
    adminToken:
      config.secrets.adminToken ??
      stored.adminToken ??
      `rl_admin_${randomBytes(24).toString('base64url')}`,
    signingSecret:
      config.secrets.signing ?? stored.signingSecret ?? randomBytes(32).toString('base64url'),
  };
  const generated = stored.adminToken === undefined || stored.signingSecret === undefined;
  if (
    generated ||
    stored.adminToken !== secrets.adminToken ||
    stored.signingSecret !== secrets.signingSecret
  ) {
    await mkdir(dataDir, { recursive: true });
    // Only generated values are persisted; configured ones stay in the environment.
    const toStore: Partial<Secrets> = {
      adminToken: config.secrets.adminToken ? stored.adminToken : secrets.adminToken,
      signingSecret: config.secrets.signing ? stored.signingSecret : secrets.signingSecret,
    };
    await writeFile(file, `${JSON.stringify(toStore, null, 2)}\n`, { mode: 0o600 });
  }
  return { ...secrets, generated };
}
