// The Plex Media Server version the simulator claims (in `/`, `/identity` and the webhook User-Agent).
export const PMS_VERSION = '1.41.6.9685-d301f511a';
