// Which tags of the library cache are music metadata for the playlists. Sagewire marks the ratings it
// infers with a mood of its own (INFERRED_TAG, `Rating_Inferred` unless renamed): that mood says who set a
// rating, nothing about the music, so it never reaches the vocabularies (the filter choices and the
// analysis prompt), the pool index (seed qualities, pick reasons, the seed prompt) or a filter. The
// loaders of the cache apply this one predicate where they read `item_tags`. Plex compares tags without
// regard to case, and so does this.
export type MusicTagTest = (kind: string, tag: string) => boolean;

/** The test for a configured inferred tag; an empty name (tagging off) keeps every tag. */
export function musicTags(inferredTag: string): MusicTagTest {
  const own = inferredTag.trim().toLowerCase();
  if (own === '') return () => true;
  return (kind, tag) => kind !== 'mood' || tag.toLowerCase() !== own;
}
