"""Runs the real, unmodified python-plexapi against a Plex server with more than one music section.

    PYTHONPATH=/tmp/plexapi python3 tests/python/plexapi_sections.py <url> <token> <title of a second music section>

Exits 0 when every check passes, 1 otherwise. It rates one track of the named section and makes a smart
playlist there, and restores both, so point it at a simulator, not at a library you care about.
"""
import sys
import traceback

from plexapi.server import PlexServer

PAGE = 100
failures = []
passed = []


def check(name, condition, detail=''):
    (passed if condition else failures).append(name)
    print(f"{'ok  ' if condition else 'FAIL'} {name}{'' if condition else ' — ' + str(detail)}")


def step(name):
    """Runs one named group of checks; an exception fails that group and the run continues."""
    def wrap(fn):
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - report and go on with the other groups
            failures.append(name)
            print(f'FAIL {name} raised {exc.__class__.__name__}: {exc}')
            traceback.print_exc()
        return fn
    return wrap


def main(url, token, extra_title):
    plex = PlexServer(url, token, timeout=30)
    music = [s for s in plex.library.sections() if s.type == 'artist']
    check('several music sections listed', len(music) >= 2, [(s.key, s.title) for s in music])
    first = music[0]
    extra = plex.library.section(extra_title)
    check('the extra section by title', extra.type == 'artist' and extra.key != first.key, (extra.key, first.key))
    check('the extra section by id', plex.library.sectionByID(extra.key).title == extra_title)

    total = extra.totalViewSize(libtype='track', includeCollections=False)
    tracks = extra.all(libtype='track', container_size=PAGE)
    check(f'paged listing of the extra section ({PAGE} a page)', len(tracks) == total and total > PAGE,
          f'{len(tracks)} of {total}')
    check('its tracks carry its section id', all(t.librarySectionID == extra.key for t in tracks), extra.key)
    first_keys = {t.ratingKey for t in first.all(libtype='track', container_size=1000)}
    check('no ratingKey is in both sections', not first_keys & {t.ratingKey for t in tracks})

    sample = tracks[len(tracks) // 2]
    track = plex.fetchItem(sample.ratingKey)
    check('a fetched track of the extra section names it',
          track.librarySectionID == extra.key and track.librarySectionTitle == extra_title
          and track.librarySectionKey == f'/library/sections/{extra.key}',
          (track.librarySectionID, track.librarySectionTitle, track.librarySectionKey))
    check('track.section() is the extra section', track.section().key == extra.key)

    @step('navigation in the extra section')
    def _navigation():
        album = track.album()
        artist = album.artist()
        check('track.album() and album.artist() stay in the section',
              album.librarySectionID == extra.key and artist.librarySectionID == extra.key)
        check('album.tracks()', track.ratingKey in [t.ratingKey for t in album.tracks()])
        check('artist.albums() (artist.id filter in the section)', album.ratingKey in [a.ratingKey for a in artist.albums()])

    @step('search and filters per section')
    def _search():
        found = extra.searchTracks(title=track.title, container_size=PAGE)
        check('section search finds the track', track.ratingKey in [t.ratingKey for t in found])
        check('the first section does not', track.ratingKey not in [t.ratingKey for t in first.searchTracks(title=track.title)])
        hubs = plex.search(track.title, sectionId=extra.key)
        check('hub search with sectionId', track.ratingKey in [h.ratingKey for h in hubs if h.type == 'track'])

    @step('rating in the extra section')
    def _rate():
        before = track.userRating
        track.rate(7)
        try:
            check('rate() is stored', plex.fetchItem(track.ratingKey).userRating == 7)
            rated = extra.searchTracks(filters={'userRating>>': 6}, container_size=PAGE)
            check('the section filter sees the rating', track.ratingKey in [t.ratingKey for t in rated])
        finally:
            track.rate(before)
        check('rating restored', plex.fetchItem(track.ratingKey).userRating == before)

    @step('smart playlist of the extra section')
    def _smart():
        expected = {t.ratingKey for t in extra.searchTracks(filters={'userRating>>': 4}, container_size=PAGE)}
        smart = plex.createPlaylist('Sections Smart', section=extra, smart=True, filters={'userRating>>': 4})
        try:
            check('its section is the extra section', smart.section().key == extra.key, smart.content)
            items = smart.items()
            check('its items are the section query answer', {t.ratingKey for t in items} == expected and len(expected) > 0,
                  f'{len(items)} vs {len(expected)}')
        finally:
            smart.delete()

    print(f'\n{len(passed)} passed, {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
