// Which fitted model the engine computes with. A full pass fits anew (fitRatingModel) and records the fit
// on its run; everything else — the live path, the pages, the CLI's explain — uses the fit of the newest
// full pass, so a rating event never refits. Before any full pass, or when the settings that decide the fit
// (C, listening) changed since, the fit is made from the library at hand: deterministic, so the same
// inputs give the same constants wherever it is made.
import { fitRatingModel, type LibraryIndex, type ModelFit, type OwnershipView, type RatingParams } from '../../domain/rating/index.js';
import type { EngineStore } from './engine-store.js';

export function isModelFit(value: unknown): value is ModelFit {
  const fit = value as ModelFit | null;
  return (
    typeof fit === 'object' &&
    fit !== null &&
    typeof fit.chosen === 'string' &&
    typeof fit.constants?.cAlbum === 'number' &&
    typeof fit.constants?.cArtist === 'number' &&
    typeof fit.constants?.beta === 'number' &&
    Array.isArray(fit.candidates)
  );
}

const sameSettings = (fit: ModelFit, params: RatingParams): boolean =>
  fit.settings?.C === params.C && fit.settings?.listening === params.listening;

/**
 * The newest full pass's fit when it was made under the current settings; else `held` (the fit a model
 * already computes with, when made under the same settings); else a fresh fit.
 */
export function currentModelFit(
  store: Pick<EngineStore, 'runs'>,
  index: LibraryIndex,
  ownership: OwnershipView,
  params: RatingParams,
  held?: ModelFit,
): ModelFit {
  const stored = store.runs.latestFullPassModel();
  if (isModelFit(stored) && sameSettings(stored, params)) return stored;
  if (held && sameSettings(held, params)) return held;
  return fitRatingModel(index, ownership, params);
}

/** What an event's run records: the constants it computed with and where they came from. */
export function modelSummary(fit: ModelFit): Pick<ModelFit, 'chosen' | 'constants' | 'reason'> {
  return { chosen: fit.chosen, constants: fit.constants, reason: fit.reason };
}
