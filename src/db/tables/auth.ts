// Admin sessions. The cookie carries a random id; only its SHA-256 is stored, so a copy of the
// database cannot be turned into a logged-in browser.
export interface AdminSessionTable {
  /** hex SHA-256 of the cookie value. */
  id_hash: string;
  /** Per-session CSRF token, sent back in every form and htmx request. */
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  /** One pending flash message as JSON `{kind, text}`, shown on the next page and then cleared. */
  flash: string | null;
}
