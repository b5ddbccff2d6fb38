/** Start-up output: every step says what it is doing, so a slow first start never looks hung. */
export interface Log {
  step: (message: string) => void;
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

export function createLog(
  prefix = 'relance',
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Log {
  const at = () => new Date().toISOString().slice(11, 19);
  return {
    step: (m) => write(`${at()} [${prefix}] ▸ ${m}`),
    info: (m) => write(`${at()} [${prefix}]   ${m}`),
    warn: (m) => write(`${at()} [${prefix}] ! ${m}`),
    error: (m) => write(`${at()} [${prefix}] ✗ ${m}`),
  };
}

const ignore = () => {};
export const silentLog: Log = { step: ignore, info: ignore, warn: ignore, error: ignore };
