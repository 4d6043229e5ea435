"""Runs the real, unmodified python-plexapi against a Plex server (meant for Sagewire's simulator).

    PYTHONPATH=/tmp/plexapi python3 tests/python/plexapi_fidelity.py <url> <token>

Exits 0 when every check passes, 1 otherwise. It writes to the server (ratings, moods, playlists) and
restores what it changed, and it starts playback on the server's players (reading what they play from the
simulator's control API), so point it at a simulator, not at a library you care about.
"""
import sys
import traceback

from plexapi.exceptions import BadRequest, NotFound, Unauthorized
from plexapi.playqueue import PlayQueue
from plexapi.server import PlexServer

PAGE = 500
failures = []
passed = []


def check(name, condition, detail=''):
    (passed if condition else failures).append(name)
    print(f"{'ok  ' if condition else 'FAIL'} {name}{'' if condition else ' — ' + str(detail)}")


def raw_rating(item):
    """The listed userRating without touching `item.userRating`, which reloads every unrated (partial) item."""
    return item._data.attrib.get('userRating')


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


def main(url, token):
    plex = PlexServer(url, token, timeout=30)
    check('server identity', len(plex.machineIdentifier or '') == 40, plex.machineIdentifier)

    try:
        PlexServer(url, 'not-the-token', timeout=10)
        check('wrong token is refused', False, 'no exception')
    except Unauthorized:
        check('wrong token is refused', True)

    sections = plex.library.sections()
    music = next((s for s in sections if s.type == 'artist'), None)
    check('music section listed', music is not None, [s.type for s in sections])
    check('section has a location', bool(music.locations), music.locations)
    check('section by title', plex.library.section(music.title).key == music.key)

    total = music.totalViewSize(libtype='track', includeCollections=False)
    tracks = music.all(libtype='track', container_size=PAGE)
    check(f'paged track listing ({PAGE} a page) returns every track', len(tracks) == total and total > PAGE,
          f'{len(tracks)} of {total}')
    keys = [t.ratingKey for t in tracks]
    check('ratingKeys are unique', len(set(keys)) == len(keys))
    check('tracks carry their section id', all(t.librarySectionID == music.key for t in tracks[:50]))

    sample = tracks[len(tracks) // 3]

    @step('navigation')
    def _navigation():
        album = sample.album()
        check('track.album()', album.ratingKey == sample.parentRatingKey and album.type == 'album')
        artist = album.artist()
        check('album.artist()', artist.ratingKey == sample.grandparentRatingKey and artist.type == 'artist')
        album_tracks = album.tracks()
        check('album.tracks()', sample.ratingKey in [t.ratingKey for t in album_tracks]
              and len(album_tracks) == album.leafCount, f'{len(album_tracks)} vs leafCount {album.leafCount}')
        albums = artist.albums()
        check('artist.albums() (artist.id filter)', album.ratingKey in [a.ratingKey for a in albums]
              and all(a.parentRatingKey == artist.ratingKey for a in albums), [a.title for a in albums])
        check('artist.tracks() (allLeaves)', sample.ratingKey in [t.ratingKey for t in artist.tracks()])
        try:
            plex.fetchItem(987654321)
            check('unknown item is NotFound', False, 'no exception')
        except NotFound:
            check('unknown item is NotFound', True)

    @step('search')
    def _search():
        rated = music.searchTracks(filters={'userRating>>': 0}, container_size=PAGE)
        expected = sum(1 for t in tracks if float(raw_rating(t) or 0) > 0)
        check('searchTracks(userRating>> 0)', len(rated) == expected and expected > 0 and all(t.userRating > 0 for t in rated),
              f'{len(rated)} vs {expected}')
        by_title = music.searchTracks(title=sample.title)
        check('searchTracks(title=…) contains', sample.ratingKey in [t.ratingKey for t in by_title])
        word = sample.grandparentTitle.split(' ')[-1]
        hub = plex.search(word, mediatype='artist', sectionId=music.key)
        check('hub search finds the artist', sample.grandparentRatingKey in [a.ratingKey for a in hub], word)
        moods = music.listFilterChoices('mood', libtype='track')
        check('mood tag values', len(moods) > 0 and all(m.key.isdigit() for m in moods))
        first_mood = next((t.moods[0] for t in tracks if t.moods), None)
        if first_mood is not None:
            with_mood = music.searchTracks(mood=first_mood.tag, container_size=PAGE)
            check('searchTracks(mood=…) by tag name', len(with_mood) > 0
                  and all(first_mood.tag in [m.tag for m in t.moods] for t in with_mood[:100]))
        recent = music.searchTracks(filters={'addedAt>>': '-36500d'}, maxresults=10)
        check('relative date filter', len(recent) == 10)

    unrated = [t for t in tracks if raw_rating(t) is None]
    target, second, third, fourth = unrated[5], unrated[6], unrated[7], unrated[8]

    @step('rating')
    def _rating():
        target.rate(7.5)
        target.reload()
        check('rate(7.5) stores 7.5', target.userRating == 7.5, target.userRating)
        check('rate sets lastRatedAt', target.lastRatedAt is not None)
        target.rate()
        target.reload()
        check('rate() clears', target.userRating is None, target.userRating)

    @step('moods on one track')
    def _moods():
        second.reload()
        before = [m.tag for m in second.moods]
        second.addMood('Fidelity Mood')
        second.reload()
        after = [m.tag for m in second.moods]
        check('addMood keeps existing moods and adds one', after == before + ['Fidelity Mood'], after)
        check('mood field locked', second.isLocked('mood'))
        second.removeMood('Fidelity Mood')
        second.reload()
        check('removeMood', [m.tag for m in second.moods] == before, [m.tag for m in second.moods])

    @step('batch multi-edit')
    def _batch():
        third.reload()
        fourth.reload()
        third_before = [m.tag for m in third.moods]
        music.batchMultiEdits([third, fourth]).addMood('Batch Mood').saveMultiEdits()
        third.reload()
        fourth.reload()
        check('batch addMood adds to each item', 'Batch Mood' in [m.tag for m in third.moods]
              and 'Batch Mood' in [m.tag for m in fourth.moods])
        check('batch addMood keeps existing moods', [m.tag for m in third.moods] == third_before + ['Batch Mood'],
              [m.tag for m in third.moods])
        music.batchMultiEdits([third, fourth]).removeMood('Batch Mood').saveMultiEdits()
        third.reload()
        check('batch removeMood', 'Batch Mood' not in [m.tag for m in third.moods])

    @step('playlists')
    def _playlists():
        playlist = plex.createPlaylist('Fidelity Mix', items=[target, second])
        check('createPlaylist', playlist.title == 'Fidelity Mix' and playlist.leafCount == 2, playlist.leafCount)
        playlist.addItems([third])
        fresh = plex.playlist('Fidelity Mix')
        check('addItems appends', [t.ratingKey for t in fresh.items()] == [target.ratingKey, second.ratingKey, third.ratingKey])
        fresh.removeItems([second])
        again = plex.playlist('Fidelity Mix')
        check('removeItems', [t.ratingKey for t in again.items()] == [target.ratingKey, third.ratingKey])
        check('playlists() lists it', 'Fidelity Mix' in [p.title for p in plex.playlists(playlistType='audio')])
        again.delete()
        check('delete()', 'Fidelity Mix' not in [p.title for p in plex.playlists()])

    @step('players')
    def _players():
        clients = plex.clients()
        names = sorted(c.title for c in clients)
        check('clients() lists the players', len(clients) >= 2 and all(c.machineIdentifier for c in clients), names)
        living = plex.client('Living Room')
        check('client(name) finds a player', living.product == 'Plexamp' and living._baseurl.startswith('http://'),
              (living.product, living._baseurl))
        check('players can take playback and play queues',
              all('playback' in c.protocolCapabilities and 'playqueues' in c.protocolCapabilities for c in clients),
              [c.protocolCapabilities for c in clients])

    def now_playing():
        res = plex._session.get(f'{url}/__sim/now-playing', headers={'X-Plex-Token': token}, timeout=10)
        res.raise_for_status()
        return res.json()

    @step('play queues and playback')
    def _play_queues():
        queue = plex.createPlayQueue([target, second, third])
        check('PlayQueue of tracks keeps their order', [t.ratingKey for t in queue.items] ==
              [target.ratingKey, second.ratingKey, third.ratingKey] and len(queue) == 3, [t.ratingKey for t in queue.items])
        check('PlayQueue selects the first track', queue.selectedItem.ratingKey == target.ratingKey
              and queue.playQueueSelectedMetadataItemID == target.ratingKey)
        check('every queue entry has a playQueueItemID', all(t.playQueueItemID for t in queue.items))
        album = sample.album()
        album_queue = plex.createPlayQueue(album)
        check('PlayQueue of an album lists its tracks in order',
              [t.ratingKey for t in album_queue.items] == [t.ratingKey for t in album.tracks()])
        shuffled = PlayQueue.create(plex, album, shuffle=1)
        check('shuffled PlayQueue holds the same tracks', shuffled.playQueueShuffled and
              sorted(t.ratingKey for t in shuffled.items) == sorted(t.ratingKey for t in album_queue.items))
        started = PlayQueue.create(plex, album, startItem=album.tracks()[-1])
        check('startItem selects that track', started.selectedItem.ratingKey == album.tracks()[-1].ratingKey)
        playlist = plex.createPlaylist('Fidelity Queue Source', items=[third, second])
        try:
            from_playlist = plex.createPlayQueue(playlist)
            check('PlayQueue of a playlist', [t.ratingKey for t in from_playlist.items] == [third.ratingKey, second.ratingKey])
        finally:
            playlist.delete()
        again = PlayQueue.get(plex, queue.playQueueID)
        check('PlayQueue.get reads it back', [t.ratingKey for t in again.items] == [t.ratingKey for t in queue.items])

        before = now_playing()['commands']
        living = plex.client('Living Room')
        living.proxyThroughServer()
        living.playMedia(queue)
        state = next(p for p in now_playing()['players'] if p['machineIdentifier'] == living.machineIdentifier)
        check('playMedia through the server starts the player', state['state'] == 'playing'
              and state['playQueueID'] == queue.playQueueID and state['track']['ratingKey'] == str(target.ratingKey), state)
        kitchen = plex.client('Kitchen')
        kitchen.proxyThroughServer()
        kitchen.playMedia(album_queue)  # Plex for Android answers a bare OK, which python-plexapi accepts
        check('playMedia to a player answering a bare OK', now_playing()['commands'] == before + 2)

    @step('sonically similar')
    def _sonic():
        similar = sample.sonicallySimilar()
        distances = [t.distance for t in similar]
        check('sonicallySimilar() returns tracks', 0 < len(similar) <= 50 and all(t.type == 'track' for t in similar), len(similar))
        check('nearest first, within the default 0.25', distances == sorted(distances) and all(0 <= d <= 0.25 for d in distances),
              distances[:5])
        check('the seed is not its own neighbour', sample.ratingKey not in [t.ratingKey for t in similar])
        few = sample.sonicallySimilar(limit=3, maxDistance=0.6)
        check('limit and maxDistance', len(few) == 3 and all(t.distance <= 0.6 for t in few), [t.distance for t in few])

    @step('smart playlists')
    def _smart():
        expected = {t.ratingKey for t in music.searchTracks(filters={'userRating>>': 6}, container_size=PAGE)}
        smart = plex.createPlaylist('Fidelity Smart', section=music, smart=True, sort='userRating:desc',
                                    filters={'userRating>>': 6})
        check('smart playlist created', smart.smart and smart.section().key == music.key, smart.content)
        parsed = smart.filters()
        check('its content parses back to the filter and sort', parsed.get('filters') == {'track.userRating>>': '6'}
              and parsed.get('sort') == ['track.userRating:desc'] and parsed.get('libtype') == 'track', parsed)
        items = smart.items()
        ratings = [t.userRating for t in items]
        check('smart playlist items match the filter', {t.ratingKey for t in items} == expected and len(expected) > 0,
              f'{len(items)} vs {len(expected)}')
        check('smart playlist items follow its sort', ratings == sorted(ratings, reverse=True), ratings[:10])
        fourth.rate(9)
        try:
            live = plex.playlist('Fidelity Smart').items()
            check('a rating change shows at once', fourth.ratingKey in [t.ratingKey for t in live])
        finally:
            fourth.rate()
        smart.updateFilters(limit=5, sort='userRating:desc', filters={'userRating>>': 8})
        updated = plex.playlist('Fidelity Smart').items()
        check('updateFilters replaces the filter', 0 < len(updated) <= 5 and all(t.userRating > 8 for t in updated),
              [t.userRating for t in updated])
        try:
            smart.addItems([target])
            check('adding items to a smart playlist is refused', False, 'no exception')
        except BadRequest:
            check('adding items to a smart playlist is refused', True)
        smart.delete()
        check('smart playlist deleted', 'Fidelity Smart' not in [p.title for p in plex.playlists()])

    print(f'\n{len(passed)} passed, {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
