// The headers by which the front door tells the main app who the client is. Only the front sets them:
// it removes any a client sent, and the main app believes them only with the front's per-process token.
export const FRONT_TOKEN_HEADER = 'x-sagewire-front';
export const FRONT_PEER_HEADER = 'x-sagewire-peer';
