// Album recommendations (PLAYLISTS.md, "Beyond playlists"): pure ranking, taste profile, prompts and replies.
export * from './types.js';
export { albumKey, rankAlbums, tasteProfile } from './rank.js';
export {
  ALBUM_PICK_SHAPE,
  CLARIFY_SHAPE,
  DISCOVERY_SHAPE,
  albumLine,
  albumPickPrompt,
  answersText,
  clarifyPrompt,
  discoveryPrompt,
  fitAlbums,
} from './prompts.js';
export {
  acceptAlbumPicks,
  acceptDiscovery,
  fillAlbums,
  readAlbumPicks,
  readDiscovery,
  readQuestions,
  type ChosenAlbum,
} from './reply.js';
export { offlinePitch } from './offline.js';
