// Settings saved from the UI or by the app itself (generated secrets, model parameters).
// The environment overrides them; see src/config.ts.
export interface SettingTable {
  key: string;
  value: string;
  updated_at: number;
}
