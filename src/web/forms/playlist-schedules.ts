// The schedules page's inputs: "Make this a schedule" from a history entry (a preset from the review page's
// form, or `custom` and the cron field), and a schedule's id in the path.
import { z } from 'zod';
import { maybeText, text } from './fields.js';

/** POST /playlists/schedules */
export const newScheduleForm = z
  .object({
    generation: text()
      .transform(Number)
      .refine((id) => Number.isSafeInteger(id) && id > 0, 'generation: there is no such generation in the history.'),
    name: text()
      .transform((v) => v.trim())
      .refine((v) => v.length >= 1 && v.length <= 100, 'name: give the schedule a name (up to 100 characters).'),
    preset: text(),
    cron: maybeText().transform((v) => v?.trim() ?? ''),
  })
  .transform(({ preset, cron, ...rest }) => ({ ...rest, cron: preset === 'custom' ? cron : preset }))
  .refine((f) => f.cron.length >= 1 && f.cron.length <= 120, {
    message: 'cron: pick a preset or write a cron expression.',
    path: ['cron'],
  });

/** /playlists/schedules/:id/… : an id that is not one is a schedule that does not exist. */
export const scheduleParams = z.object({
  id: text()
    .transform(Number)
    .refine((id) => Number.isSafeInteger(id) && id > 0, 'There is no such schedule.'),
});
