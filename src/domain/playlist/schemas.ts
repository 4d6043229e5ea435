// The JSON schemas every provider is given for structured output. Strict-mode friendly: every property
// required, no additional properties (OpenAI's json_schema strict mode insists on both).

export interface JsonSchema {
  type: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: JsonSchema;
  nullable?: boolean;
}

export interface StructuredShape {
  name: string;
  schema: JsonSchema;
}

/** Builders for the reply shapes (here and in domain/recommend): every property required, nothing else allowed. */
export const str = (description?: string): JsonSchema => ({ type: 'string', ...(description ? { description } : {}) });
export const list = (items: JsonSchema, description?: string): JsonSchema => ({
  type: 'array',
  items,
  ...(description ? { description } : {}),
});
export const object = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

export const GENERATION_SHAPE: StructuredShape = {
  name: 'playlist',
  schema: object({
    title: str('playlist title, at most 60 characters'),
    description: str('two sentences'),
    tracks: list(
      object({ id: str('the number before the first | of the chosen line'), reason: str('one short line') }),
      'in listening order',
    ),
  }),
};

export const ANALYSIS_SHAPE: StructuredShape = {
  name: 'filters',
  schema: object({
    genres: list(str()),
    styles: list(str()),
    moods: list(str()),
    artists: list(str(), 'artists the playlist must be BY'),
    likeArtists: list(str(), 'artists the playlist should sound LIKE'),
    decades: list({ type: 'integer' }, 'decade starts, e.g. 1990'),
    keywords: list(str()),
    excludeLive: { type: 'boolean' },
    minRating: { type: 'number', nullable: true, description: 'minimum stars 0.5–5, or null' },
    // Play history: the names say enough (every word here is paid for on each analysis call).
    neverPlayed: { type: 'boolean' },
    mostPlayed: { type: 'boolean' },
    notPlayedMonths: { type: 'integer', nullable: true },
  }),
};

export const SEED_SHAPE: StructuredShape = {
  name: 'seed_dimensions',
  schema: object({
    dimensions: list(
      object({
        dimension: str('e.g. mood, era, instrumentation, genre, production, tempo, vocals'),
        description: str('specific to this track'),
      }),
    ),
  }),
};
