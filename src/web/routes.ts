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
import { dashboardActivity, showDashboard } from './handlers/dashboard.js';
import { logout, showLogin, submitLogin } from './handlers/login.js';
import { changePassword, rotateApiToken, saveBehaviourSettings, saveModelSettings, showSettings } from './handlers/settings.js';
import { saveSetup, setupLibraries, showSetup, testPlexConnection } from './handlers/setup.js';

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
  pages.get('/setup', showSetup(deps));
  pages.get('/setup/libraries', setupLibraries(deps));
  pages.post('/setup/test', testPlexConnection(deps));
  pages.post('/setup', saveSetup(deps));
  pages.get('/settings', showSettings(deps));
  pages.post('/settings/model', saveModelSettings(deps));
  pages.post('/settings/behaviour', saveBehaviourSettings(deps));
  pages.post('/settings/api-token', rotateApiToken(deps));
  pages.post('/settings/password', changePassword(deps));

  const api = new Router({ prefix: '/api' });
  api.use(deps.sessions.load(), requireApiAuth(deps.apiToken));
  api.get('/status', apiStatus(deps));

  return [login, pages, api];
}
