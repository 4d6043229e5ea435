// The route table of the admin UI and /api. Each router adds its own chain, read top to bottom:
//   login:  session → handler (the login form has its own pre-session CSRF token)
//   pages:  session → login required → CSRF on POST/PUT/PATCH/DELETE → handler
//   api:    session → Bearer token or session (+ CSRF when state-changing with a session) → handler
// The webhook route and /api/health are registered before these by app.ts and need none of it.
import { Router } from '@koa/router';
import { requireCsrf } from './auth/csrf.js';
import { requireApiAuth, requireLogin } from './auth/guards.js';
import type { AdminDeps } from './deps.js';
import { apiStatus } from './handlers/api-status.js';
import { dashboardActivity, dashboardEvents, showDashboard } from './handlers/dashboard.js';
import { logout, showLogin, submitLogin } from './handlers/login.js';
import {
  changePassword,
  rotateApiToken,
  saveBehaviourSettings,
  saveModelSettings,
  savePriceSettings,
  showSettings,
} from './handlers/settings.js';
import {
  choosePlexServer,
  plexSignInStatus,
  saveSetup,
  setupLibraries,
  showSetup,
  startPlexSignIn,
  testPlexConnection,
} from './handlers/setup.js';
import { showWelcome, usePolling, welcomeProgress } from './handlers/welcome.js';
import { showExplorer, showItem } from './handlers/explorer.js';
import { cancelJob, jobPanel, showRatings, startDryRun, startFullPass } from './handlers/ratings.js';
import { reEnable, retryDead, showAttention } from './handlers/ratings-attention.js';
import { downloadPlan, showPlan } from './handlers/ratings-plan.js';
import { applyImport, checkImport, exportCsv, showTools, startRecover, startVerify } from './handlers/ratings-tools.js';
import { confirmUndo, undoAll, undoOne } from './handlers/ratings-undo.js';
import { showReports } from './handlers/reports.js';
import { jobStatus, previewPlaylist, showPlaylists, startGeneration, suggestFilters } from './handlers/playlist-compose.js';
import { playlistArt, showHistory, showRecommendation } from './handlers/playlist-history.js';
import { editReview, regenerate, saveReview, showReview } from './handlers/playlist-review.js';
import { seedSearch, showSeed } from './handlers/playlist-seed.js';
import { apiSaveSmartPlaylist, apiSmartPlaylists, saveSmartPlaylist, showSmartPlaylists } from './handlers/playlist-smart.js';
import { apiGeneratePlaylist, savePlaylistSettings } from './handlers/playlist-settings.js';
import { saveNotificationSettings, showNotifications, testNotification } from './handlers/notifications.js';
import { createSchedule, scheduleAction, showSchedules } from './handlers/playlist-schedules.js';
import { createScheduleApi, deleteScheduleApi, listSchedulesApi, pauseScheduleApi, runScheduleApi } from './api/schedules.js';
import { apiRecommendAlbums, recommendAlbums, showAlbums } from './handlers/playlist-albums.js';
import { apiPlay, apiPlayers, pickPlayers, playOnPlayer } from './handlers/play-now.js';

export function adminRoutes(deps: AdminDeps): Router[] {
  const login = new Router();
  login.use(deps.sessions.load());
  login.get('/login', showLogin(deps));
  login.post('/login', submitLogin(deps));

  const pages = new Router();
  pages.use(deps.sessions.load(), requireLogin(), requireCsrf());
  pages.post('/logout', logout(deps));
  pages.get('/', showDashboard(deps));
  pages.get('/dashboard/activity', dashboardActivity(deps));
  pages.get('/dashboard/events', dashboardEvents(deps));
  pages.get('/setup', showSetup(deps));
  pages.get('/setup/libraries', setupLibraries(deps));
  pages.post('/setup/test', testPlexConnection(deps));
  pages.post('/setup', saveSetup(deps));
  pages.post('/setup/plex-signin', startPlexSignIn(deps));
  pages.get('/setup/plex-signin', plexSignInStatus(deps));
  pages.post('/setup/plex-signin/choose', choosePlexServer(deps));
  pages.get('/welcome', showWelcome(deps));
  pages.get('/welcome/progress', welcomeProgress(deps));
  pages.post('/welcome/polling', usePolling(deps));
  pages.get('/settings', showSettings(deps));
  pages.post('/settings/model', saveModelSettings(deps));
  pages.post('/settings/behaviour', saveBehaviourSettings(deps));
  pages.post('/settings/api-token', rotateApiToken(deps));
  pages.post('/settings/password', changePassword(deps));
  pages.get('/settings/notifications', showNotifications(deps));
  pages.post('/settings/notifications', saveNotificationSettings(deps));
  pages.post('/settings/notifications/test', testNotification(deps));
  pages.get('/ratings', showRatings(deps));
  pages.get('/ratings/job', jobPanel(deps));
  pages.post('/ratings/dry-run', startDryRun(deps));
  pages.post('/ratings/apply', startFullPass(deps));
  pages.post('/ratings/cancel', cancelJob(deps));
  pages.get('/ratings/plan', showPlan(deps));
  pages.get('/ratings/plan.csv', downloadPlan(deps));
  pages.get('/ratings/runs/:id/undo', confirmUndo(deps, 'run'));
  pages.post('/ratings/runs/:id/undo', undoOne(deps, 'run'));
  pages.get('/ratings/events/:id/undo', confirmUndo(deps, 'event'));
  pages.post('/ratings/events/:id/undo', undoOne(deps, 'event'));
  pages.post('/ratings/undo-all', undoAll(deps));
  pages.get('/ratings/tools', showTools(deps));
  pages.post('/ratings/verify', startVerify(deps));
  pages.post('/ratings/recover', startRecover(deps));
  pages.get('/ratings/export.csv', exportCsv(deps));
  pages.post('/ratings/import', checkImport(deps));
  pages.post('/ratings/import/apply', applyImport(deps));
  pages.get('/ratings/attention', showAttention(deps));
  pages.post('/ratings/dead/retry', retryDead(deps));
  pages.post('/ratings/opted-out/enable', reEnable(deps));
  pages.get('/explorer', showExplorer(deps));
  pages.get('/explorer/item/:key', showItem(deps));
  pages.get('/reports', showReports(deps));
  // Playlists
  pages.get('/playlists', showPlaylists(deps));
  pages.post('/playlists/suggest', suggestFilters(deps));
  pages.post('/playlists/preview', previewPlaylist(deps));
  pages.post('/playlists/generate', startGeneration(deps));
  pages.get('/playlists/jobs/:id', jobStatus(deps));
  pages.get('/playlists/seed', seedSearch(deps));
  pages.get('/playlists/seed/:key', showSeed(deps));
  pages.get('/playlists/history', showHistory(deps));
  pages.get('/playlists/history/albums/:id', showRecommendation(deps));
  pages.get('/playlists/history/:id', showReview(deps));
  pages.post('/playlists/history/:id/edit', editReview(deps));
  pages.post('/playlists/history/:id/save', saveReview(deps));
  pages.post('/playlists/history/:id/regenerate', regenerate(deps));
  pages.get('/playlists/art', playlistArt(deps));
  pages.get('/playlists/smart', showSmartPlaylists(deps));
  pages.post('/playlists/smart/:id', saveSmartPlaylist(deps));
  pages.get('/playlists/schedules', showSchedules(deps));
  pages.post('/playlists/schedules', createSchedule(deps));
  pages.post('/playlists/schedules/:id/run', scheduleAction(deps, 'run'));
  pages.post('/playlists/schedules/:id/pause', scheduleAction(deps, 'pause'));
  pages.post('/playlists/schedules/:id/resume', scheduleAction(deps, 'resume'));
  pages.post('/playlists/schedules/:id/delete', scheduleAction(deps, 'delete'));
  pages.post('/playlists/schedules/:id/reread', scheduleAction(deps, 'reread'));
  pages.get('/playlists/albums', showAlbums(deps));
  pages.post('/playlists/albums', recommendAlbums(deps));
  pages.post('/settings/playlists', savePlaylistSettings(deps));
  pages.post('/settings/prices', savePriceSettings(deps));
  pages.get('/play-now/players', pickPlayers(deps));
  pages.post('/play-now', playOnPlayer(deps));

  const api = new Router({ prefix: '/api' });
  api.use(deps.sessions.load(), requireApiAuth(deps.apiToken));
  api.get('/status', apiStatus(deps));
  api.post('/playlists/generate', apiGeneratePlaylist(deps));
  api.get('/playlists/smart', apiSmartPlaylists(deps));
  api.post('/playlists/smart/:id', apiSaveSmartPlaylist(deps));
  const schedules = { schedules: deps.schedules ?? null };
  api.get('/playlists/schedules', listSchedulesApi(schedules));
  api.post('/playlists/schedules', createScheduleApi(schedules));
  api.post('/playlists/schedules/:id/run', runScheduleApi(schedules));
  api.patch('/playlists/schedules/:id', pauseScheduleApi(schedules));
  api.delete('/playlists/schedules/:id', deleteScheduleApi(schedules));
  api.post('/recommendations/albums', apiRecommendAlbums(deps));
  api.get('/players', apiPlayers(deps));
  api.post('/play', apiPlay(deps));

  return [login, pages, api];
}
