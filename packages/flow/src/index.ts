export * from './duration';
export * from './condition';
