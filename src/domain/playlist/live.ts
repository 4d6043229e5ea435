// Live recordings, recognised by how they are marked, never by a bare word:
//   album: the `Live` subformat, or a title that *starts* "Live at/in/from/on …" (or is "Live!"/"Live"),
//          or carries a live marker as below;
//   track: a bracketed part mentioning live ("(Live)", "[Live at Wembley]", "(Live Version)") or a dash
//          suffix ("Song - Live", "Song – Live 1977").
// "Live Forever", "Live and Let Die", "Lively" and "Alive" are studio titles and stay.

const BRACKETED_LIVE = /[([][^)\]]*\blive\b[^)\]]*[)\]]/i;
const DASH_LIVE = /\s[-–—]\s*live\b/i;
const LIVE_ALBUM_TITLE = /^\s*live(?:\s+(?:at|in|from|on)\b|\s*[!:]|\s*$)/i;

/** A title marked as a live recording (track or album). */
export function hasLiveMarker(title: string): boolean {
  return BRACKETED_LIVE.test(title) || DASH_LIVE.test(title);
}

export function isLiveAlbum(album: { title: string; isLive: boolean }): boolean {
  return album.isLive || LIVE_ALBUM_TITLE.test(album.title) || hasLiveMarker(album.title);
}

export function isLiveTrack(track: { title: string }, album: { title: string; isLive: boolean }): boolean {
  return hasLiveMarker(track.title) || isLiveAlbum(album);
}
