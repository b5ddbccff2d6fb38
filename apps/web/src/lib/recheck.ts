/** A re-check of scores and segments after a setting was saved, as the API reports it. */
export interface Recheck {
  status: 'running' | 'done' | 'failed';
  scoresChanged: number;
  membershipsChanged: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** How many saves in quick succession the counts cover (each save re-checks). */
  saves: number;
}

/** Poll while a re-check runs: its counts grow step by step. */
export const RECHECK_POLL_MS = 1_500;
