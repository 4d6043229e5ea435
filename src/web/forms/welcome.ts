// The first-run wizard's one query: GET /welcome/progress?waiting=library|webhook, what the page waits for.
import { z } from 'zod';
import { maybeText } from './fields.js';

export const progressQuery = z.object({
  waiting: maybeText().pipe(z.enum(['library', 'webhook'], 'waiting must be library or webhook')),
});
