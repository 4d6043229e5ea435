// Items as Plex's JSON API shows them (PLEX-API.md "Item fields"): ratingKeys are strings, numbers are
// numbers, `userRating` is absent when unrated, tags are {id, filter, tag}, locks are Field[].
import type { SimState, ItemRef } from '../state/state.js';
import type { RegistryKind } from '../state/tag-registry.js';
import type { SimArtist, SimAlbum, SimTrack, SimPlaylist } from '../library.js';
import { sectionOfQuery } from '../state/content-uri.js';

type Json = Record<string, unknown>;

function guid(kind: string, key: string): string {
  return `plex://${kind}/5d07${Number(key).toString(16).padStart(20, '0')}`;
}

function tagList(state: SimState, kind: RegistryKind, names: string[]): Json[] | undefined {
  if (names.length === 0) return undefined;
  return names.map((name) => {
    const entry = state.tags.ensure(kind, name);
    return { id: entry.id, filter: `${kind}=${entry.id}`, tag: entry.name };
  });
}

function fields(item: { locked?: string[] }): Json[] | undefined {
  return item.locked && item.locked.length > 0 ? item.locked.map((name) => ({ name, locked: true })) : undefined;
}

export function thumbPath(key: string, updatedAt: number): string {
  return `/library/metadata/${key}/thumb/${updatedAt}`;
}

export function renderArtist(state: SimState, artist: SimArtist): Json {
  return {
    ratingKey: artist.ratingKey,
    key: `/library/metadata/${artist.ratingKey}/children`,
    guid: guid('artist', artist.ratingKey),
    type: 'artist',
    title: artist.title,
    ...state.sectionOf(artist.ratingKey).itemAttrs(),
    summary: '',
    index: 1,
    userRating: artist.userRating,
    lastRatedAt: artist.lastRatedAt,
    thumb: thumbPath(artist.ratingKey, artist.updatedAt),
    addedAt: artist.addedAt,
    updatedAt: artist.updatedAt,
    Genre: tagList(state, 'genre', artist.genres),
    Style: tagList(state, 'style', artist.styles),
    Mood: tagList(state, 'mood', artist.moods),
    Field: fields(artist),
  };
}

export function renderAlbum(state: SimState, album: SimAlbum): Json {
  const artist = state.artistOf(album);
  const tracks = state.tracksByAlbum.get(album.ratingKey) ?? [];
  let viewed = 0;
  for (const t of tracks) if (t.viewCount) viewed++;
  return {
    ratingKey: album.ratingKey,
    key: `/library/metadata/${album.ratingKey}/children`,
    parentRatingKey: artist.ratingKey,
    guid: guid('album', album.ratingKey),
    parentGuid: guid('artist', artist.ratingKey),
    studio: album.studio,
    type: 'album',
    title: album.title,
    parentKey: `/library/metadata/${artist.ratingKey}`,
    ...state.sectionOf(album.ratingKey).itemAttrs(),
    parentTitle: artist.title,
    summary: '',
    index: 1,
    rating: album.rating,
    userRating: album.userRating,
    lastRatedAt: album.lastRatedAt,
    year: album.year,
    originallyAvailableAt: `${album.year}-01-01`,
    thumb: thumbPath(album.ratingKey, album.updatedAt),
    parentThumb: thumbPath(artist.ratingKey, artist.updatedAt),
    leafCount: tracks.length,
    viewedLeafCount: viewed,
    addedAt: album.addedAt,
    updatedAt: album.updatedAt,
    Genre: tagList(state, 'genre', album.genres),
    Style: tagList(state, 'style', album.styles),
    Mood: tagList(state, 'mood', album.moods),
    Subformat: tagList(state, 'subformat', album.subformats),
    Field: fields(album),
  };
}

export function renderTrack(state: SimState, track: SimTrack): Json {
  const album = state.albumOf(track);
  const artist = state.artistOf(album);
  const albumThumb = thumbPath(album.ratingKey, album.updatedAt);
  const section = state.sectionOf(track.ratingKey);
  const file = `${section.info.location}/${artist.title}/${album.title}/${String(track.index).padStart(2, '0')} ${track.title}.flac`;
  return {
    ratingKey: track.ratingKey,
    key: `/library/metadata/${track.ratingKey}`,
    parentRatingKey: album.ratingKey,
    grandparentRatingKey: artist.ratingKey,
    guid: guid('track', track.ratingKey),
    parentGuid: guid('album', album.ratingKey),
    grandparentGuid: guid('artist', artist.ratingKey),
    type: 'track',
    title: track.title,
    grandparentKey: `/library/metadata/${artist.ratingKey}`,
    parentKey: `/library/metadata/${album.ratingKey}`,
    ...section.itemAttrs(),
    grandparentTitle: artist.title,
    parentTitle: album.title,
    originalTitle: track.originalTitle !== undefined && track.originalTitle !== artist.title ? track.originalTitle : undefined,
    summary: '',
    index: track.index,
    parentIndex: track.disc,
    parentYear: album.year,
    userRating: track.userRating,
    lastRatedAt: track.lastRatedAt,
    // Plex omits the listening attributes of a track never played or skipped.
    viewCount: track.viewCount || undefined,
    skipCount: track.skipCount || undefined,
    lastViewedAt: track.lastViewedAt || undefined,
    thumb: albumThumb,
    parentThumb: albumThumb,
    grandparentThumb: thumbPath(artist.ratingKey, artist.updatedAt),
    duration: track.duration,
    addedAt: track.addedAt,
    updatedAt: track.updatedAt,
    Media: [
      {
        id: Number(track.ratingKey),
        duration: track.duration,
        bitrate: 920,
        audioChannels: 2,
        audioCodec: 'flac',
        container: 'flac',
        Part: [
          {
            id: Number(track.ratingKey),
            key: `/library/parts/${track.ratingKey}/${track.addedAt}/file.flac`,
            duration: track.duration,
            file,
            size: Math.round(track.duration * 115),
            container: 'flac',
          },
        ],
      },
    ],
    Genre: tagList(state, 'genre', track.genres),
    Mood: tagList(state, 'mood', track.moods),
    Style: tagList(state, 'style', track.styles),
    Field: fields(track),
  };
}

export function renderRef(state: SimState, ref: ItemRef): Json {
  switch (ref.type) {
    case 'artist':
      return renderArtist(state, ref.item);
    case 'album':
      return renderAlbum(state, ref.item);
    case 'track':
      return renderTrack(state, ref.item);
  }
}

/**
 * A playlist as `/playlists` lists it. `tracks` is what it holds now (a smart playlist's query answer);
 * a smart playlist also carries `content`, its query as a `library://{sectionUuid}/directory/…` URI whose
 * inner query keeps the client's percent-encoding (so `userRating%3E%3E=8` shows as `userRating%253E%253E%3D8`).
 */
export function renderPlaylist(state: SimState, playlist: SimPlaylist, tracks: readonly SimTrack[]): Json {
  const duration = tracks.reduce((sum, t) => sum + t.duration, 0);
  const smart = playlist.smartQuery !== undefined;
  return {
    ratingKey: playlist.ratingKey,
    key: `/playlists/${playlist.ratingKey}/items`,
    guid: `com.plexapp.agents.none://${state.machineIdentifier.slice(0, 8)}-${playlist.ratingKey}`,
    type: 'playlist',
    title: playlist.title,
    summary: '',
    smart,
    playlistType: 'audio',
    content: smart
      ? `library://${sectionOfQuery(state, playlist.smartQuery!).uuid}/directory/${encodeURIComponent(playlist.smartQuery!)}`
      : undefined,
    composite: `/playlists/${playlist.ratingKey}/composite/${playlist.updatedAt}`,
    icon: 'playlist://image.smart',
    duration,
    durationInSeconds: Math.round(duration / 1000),
    leafCount: tracks.length,
    addedAt: playlist.addedAt,
    updatedAt: playlist.updatedAt,
  };
}
