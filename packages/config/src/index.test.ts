import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index';

describe('loadConfig', () => {
  it('applies the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.postgres.url).toBeUndefined();
    expect(config.temporal.address).toBeUndefined();
    expect(config.temporal.taskQueue).toBe('relance');
    expect(config.journeys.eventMaxAgeHours).toBe(72);
  });

  it('reads how old an event may be and still start journeys', () => {
    const config = loadConfig({ RELANCE_JOURNEY_EVENT_MAX_AGE_HOURS: '24' });
    expect(config.journeys.eventMaxAgeHours).toBe(24);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '' }).postgres.url).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ TEMPORAL_ADDRESS: 'http://localhost:7233' }, 'TEMPORAL_ADDRESS'],
    [{ RELANCE_ADMIN_TOKEN: 'short' }, 'RELANCE_ADMIN_TOKEN'],
    [{ SMTP_URL: 'localhost:25' }, 'SMTP_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ RELANCE_JOURNEY_EVENT_MAX_AGE_HOURS: 'a day' }, 'RELANCE_JOURNEY_EVENT_MAX_AGE_HOURS'],
    [{ RELANCE_JOURNEY_EVENT_MAX_AGE_HOURS: '0' }, 'RELANCE_JOURNEY_EVENT_MAX_AGE_HOURS'],
  ])('rejects %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([variable]);
      expect((error as ConfigError).message).toContain(variable);
    }
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'x', DATABASE_URL: 'nope', TEMPORAL_ADDRESS: 'nope' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        'DATABASE_URL',
        'PORT',
        'TEMPORAL_ADDRESS',
      ]);
    }
  });
});
