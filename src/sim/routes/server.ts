// Server identity and the section list (every music section, each `type="artist"`).
import type { Router } from '@koa/router';
import type { SimDeps } from './deps.js';
import { sendContainer } from '../render/respond.js';
import { PMS_VERSION } from '../version.js';

export function serverRoutes(router: Router, deps: SimDeps): void {
  const { state } = deps;
  router.get('/', (ctx) => {
    sendContainer(ctx, {
      size: 3,
      allowCameraUpload: false,
      allowChannelAccess: true,
      allowMediaDeletion: true,
      allowSharing: true,
      allowSync: true,
      backgroundProcessing: true,
      certificate: false,
      companionProxy: true,
      countryCode: 'usa',
      diagnostics: '',
      eventStream: true,
      friendlyName: state.library.friendlyName,
      hubSearch: true,
      machineIdentifier: state.machineIdentifier,
      multiuser: true,
      myPlex: true,
      myPlexMappingState: 'mapped',
      myPlexSigninState: 'ok',
      myPlexSubscription: true,
      myPlexUsername: 'sim-owner',
      ownerFeatures: 'webhooks,music_videos',
      platform: 'Linux',
      platformVersion: '6.1',
      pluginHost: true,
      readOnlyLibraries: false,
      requestParametersInCookie: true,
      streamingBrainVersion: 2,
      sync: true,
      transcoderActiveVideoSessions: 0,
      transcoderAudio: true,
      transcoderLyrics: true,
      transcoderPhoto: true,
      transcoderSubtitles: true,
      transcoderVideo: true,
      updatedAt: state.library.section.updatedAt,
      version: PMS_VERSION,
      Directory: [
        { count: 1, key: 'library', title: 'library' },
        { count: 1, key: 'playlists', title: 'playlists' },
        { count: 1, key: 'hubs', title: 'hubs' },
      ],
    });
  });

  router.get('/identity', (ctx) => {
    sendContainer(ctx, { size: 0, claimed: true, machineIdentifier: state.machineIdentifier, version: PMS_VERSION });
  });

  router.get('/library', (ctx) => {
    sendContainer(ctx, {
      size: 3,
      allowSync: false,
      art: '/:/resources/library-art.png',
      content: '',
      identifier: 'com.plexapp.plugins.library',
      mediaTagPrefix: '/system/bundle/media/flags/',
      mediaTagVersion: 1739452395,
      title1: 'Plex Library',
      title2: '',
      Directory: [
        { key: 'sections', title: 'Library Sections' },
        { key: 'recentlyAdded', title: 'Recently Added Content' },
        { key: 'onDeck', title: 'On Deck Content' },
      ],
    });
  });

  router.get('/library/sections', (ctx) => {
    sendContainer(ctx, {
      size: state.sections.length,
      allowSync: false,
      title1: 'Plex Library',
      Directory: state.sections.map(({ info: s }) => ({
        allowSync: true,
        art: '/:/resources/artist-fanart.jpg',
        composite: `/library/sections/${s.id}/composite/${s.updatedAt}`,
        filters: true,
        refreshing: false,
        thumb: '/:/resources/artist.png',
        key: String(s.id),
        type: 'artist',
        title: s.title,
        agent: 'tv.plex.agents.music',
        scanner: 'Plex Music',
        language: 'en',
        uuid: s.uuid,
        updatedAt: s.updatedAt,
        createdAt: s.createdAt,
        scannedAt: s.updatedAt,
        content: true,
        directory: true,
        contentChangedAt: state.version,
        hidden: 0,
        Location: [{ id: s.id, path: s.location }],
      })),
    });
  });
}
