/** Exhaustiveness check for `switch (x.kind)`: a compile error when a case is missing, a throw at runtime. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
