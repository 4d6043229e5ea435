// The Settings page's forms: model parameters, behaviour (forms/behaviour.ts), password, playlist settings.
// The model parameters and the playlist settings are then checked as a whole by the rating domain and the
// configuration (a saved value can never stop Sagewire from starting); these schemas read the fields.
import { z } from 'zod';
import { MODEL_PROVIDERS, modelSettingName } from '../services/playlist-llm-settings.js';
import { PARAM_FIELDS, fieldId, type ParamKind } from '../services/model-settings.js';
import { all, text, ticked } from './fields.js';

/** One parameter's field as the browser sends it: a checkbox as "true" or "false", a checkbox group as its ticked values, comma-separated. */
const paramField = (kind: ParamKind) =>
  kind === 'boolean' ? ticked().transform(String) : kind === 'kinds' ? all().transform((values) => values.join(', ')) : text();

/** POST /settings/model: each parameter's text by its dotted name. */
export const modelForm = z
  .object(Object.fromEntries(PARAM_FIELDS.map((field) => [fieldId(field.name), paramField(field.kind)])))
  .transform((fields) => Object.fromEntries(PARAM_FIELDS.map((field) => [field.name, fields[fieldId(field.name)] as string])));

/** POST /settings/password */
export const passwordForm = z
  .object({ current_password: text(), new_password: text(), confirm_password: text() })
  .transform((f) => ({ current: f.current_password, next: f.new_password, confirm: f.confirm_password }));

const MODEL_NAME = 'a model name has no spaces and at most 200 characters';
const modelName = text().refine((value) => value.trim().length <= 200 && !/\s/.test(value.trim()), MODEL_NAME);

/** POST /settings/playlists: the model names' own shape; the rest is the configuration's to judge. */
export const playlistSettingsForm = z.object(
  Object.fromEntries(
    MODEL_PROVIDERS.flatMap((p) =>
      (['analysis', 'generation'] as const).map((role) => [modelSettingName(p, role).toLowerCase(), modelName]),
    ),
  ),
);
