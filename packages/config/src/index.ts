import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));
const optionalUrl = (protocols: RegExp, example: string) =>
  optionalString.refine((value) => value === undefined || protocols.test(value), {
    message: `must be a URL like ${example}`,
  });

/** Every environment variable Relance reads, in one place. */
export const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port(3000),
  PUBLIC_URL: optionalUrl(/^https?:\/\/[^\s]+$/, 'https://relance.example.com'),
  RELANCE_DATA_DIR: z.string().trim().min(1).default('.relance'),
  RELANCE_PG_PORT: port(54329),
  DATABASE_URL: optionalUrl(/^postgres(ql)?:\/\/[^\s]+$/, 'postgres://user:pass@host:5432/relance'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  TEMPORAL_ADDRESS: optionalUrl(/^[^\s:/]+:\d+$/, 'localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('relance'),
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_CLI_PATH: optionalString,
  RELANCE_ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  RELANCE_WRITE_KEY: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  RELANCE_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  SMTP_URL: optionalUrl(/^smtps?:\/\/[^\s]+$/, 'smtp://user:pass@smtp.example.com:587'),
  SMTP_RATE_PER_SECOND: z.coerce.number().positive().default(20),
  MAIL_FROM: optionalString,
  RELANCE_JOURNEY_EVENT_MAX_AGE_HOURS: z.coerce
    .number({ error: 'must be a number of hours' })
    .int('must be a whole number of hours')
    .min(1, 'must be at least 1 hour')
    .max(8_760, 'must be at most 8760 hours (a year)')
    .default(72),
  RELANCE_CACHE_DIR: optionalString,
  // Read only to locate tools (the Temporal CLI, go, java, mvn) and the default cache.
  PATH: z.string().default(''),
  HOME: optionalString,
  XDG_CACHE_HOME: optionalString,
});
export type Env = z.infer<typeof Env>;

/** The resolved configuration every process works from. */
export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  postgres: { url: string | undefined; embeddedPort: number; poolSize: number };
  temporal: {
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    port: number;
    uiPort: number;
    cliPath: string | undefined;
  };
  secrets: {
    adminToken: string | undefined;
    writeKey: string | undefined;
    signing: string | undefined;
  };
  mail: { smtpUrl: string | undefined; ratePerSecond: number; from: string | undefined };
  journeys: {
    /**
     * An event that happened longer ago than this (by its own time) starts no journey and wakes
     * no run: a history replay or an import must not send emails about years-old orders.
     */
    eventMaxAgeHours: number;
  };
  /** Where provisioned binaries (Temporal CLI, time-skipping test server) are cached. */
  cacheDir: string;
  /** The search path for tools. */
  path: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Relance cannot start: the configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; throws a ConfigError naming every missing or malformed variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    dataDir: e.RELANCE_DATA_DIR,
    postgres: {
      url: e.DATABASE_URL,
      embeddedPort: e.RELANCE_PG_PORT,
      poolSize: e.DATABASE_POOL_SIZE,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      cliPath: e.TEMPORAL_CLI_PATH,
    },
    secrets: {
      adminToken: e.RELANCE_ADMIN_TOKEN,
      writeKey: e.RELANCE_WRITE_KEY,
      signing: e.RELANCE_SECRET,
    },
    mail: { smtpUrl: e.SMTP_URL, ratePerSecond: e.SMTP_RATE_PER_SECOND, from: e.MAIL_FROM },
    journeys: { eventMaxAgeHours: e.RELANCE_JOURNEY_EVENT_MAX_AGE_HOURS },
    cacheDir: e.RELANCE_CACHE_DIR ?? `${e.XDG_CACHE_HOME ?? `${e.HOME ?? '/tmp'}/.cache`}/relance`,
    path: e.PATH,
  };
}

/** Like `config.x.y` but fails with the variable's name when a process needs something unset. */
export function required<T>(value: T | undefined, variable: string): T {
  if (value === undefined)
    throw new ConfigError([{ variable, message: 'is required by this process' }]);
  return value;
}

/** The environment for a child process: this one's, with the given variables set or removed. */
export function childEnvironment(
  overrides: Record<string, string | undefined>,
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...env, ...overrides })) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}
