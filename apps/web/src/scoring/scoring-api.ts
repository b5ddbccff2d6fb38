import { api, call } from '../lib/api';

const scoring = api.api.scoring;

export type Scoring = Awaited<ReturnType<typeof scoringApi.get>>;
export type ScoringBody = Parameters<typeof scoring.$put>[0]['json'];

export const scoringKeys = { all: ['scoring'] as const };

export const scoringApi = {
  get: () => call(scoring.$get()),
  save: (body: ScoringBody) => call(scoring.$put({ json: body })),
};
