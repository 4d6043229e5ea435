// An event as the receiver classifies it: a pending rating of a track (8 points, account 1, server "s").
import type { Classified } from '../../../../src/webhooks/payload.js';

export const pending = (key: string): Classified => ({
  status: 'pending',
  ignoreReason: null,
  itemKey: key,
  itemType: 'track',
  rating: 8,
  accountId: 1,
  serverUuid: 's',
});
