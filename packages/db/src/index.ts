export * from './sql';
export * from './migrate';
export * from './workspaces';
export type * from './dispatch';
