#!/usr/bin/env bash
# Repeats the Dockerfile's steps without a Docker engine: production-only install into a clean
# folder, the built dist/, start as the image would (DATA_DIR on a fresh folder), probe
# /api/health and run the image's health check script, stop with SIGTERM and require a clean exit.
# Run after `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/main.js ] || { echo "container-check: run npm run build first" >&2; exit 1; }

# The image's Node line (FROM node:<major>-…), which .node-version (CI's Node) must name too; the
# check runs on it, installed from the npm registry when the Node on PATH is another line.
image_major=$(sed -nE 's/^FROM node:([0-9]+)[-.:@].*/\1/p' Dockerfile | sort -u)
[ "$(printf '%s\n' "$image_major" | wc -l)" -eq 1 ] && [ -n "$image_major" ] \
  || { echo "container-check: the Dockerfile's stages name no single Node major: ${image_major:-none}" >&2; exit 1; }
[ "$(tr -d ' \t\r\nv' <.node-version | cut -d. -f1)" = "$image_major" ] \
  || { echo "container-check: .node-version ($(cat .node-version)) and the image (node:$image_major) differ" >&2; exit 1; }
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$image_major" ]; then
  eval "$(bash scripts/install-node.sh --env "$image_major")"
fi
echo "container-check: node $(node --version) (image: node:$image_major)"

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=""
# The image's health check is scripts/healthcheck.mjs, copied into the runtime stage: check both, then copy it too.
grep -qE '^COPY scripts/healthcheck\.mjs \./scripts/healthcheck\.mjs$' Dockerfile \
  || { echo "container-check: the Dockerfile's runtime stage does not copy scripts/healthcheck.mjs" >&2; exit 1; }
grep -qE 'CMD \["node", "scripts/healthcheck\.mjs"\]' Dockerfile \
  || { echo "container-check: the Dockerfile's HEALTHCHECK does not run scripts/healthcheck.mjs" >&2; exit 1; }
cp package.json package-lock.json "$work/"
cp -r dist "$work/dist"
mkdir -p "$work/scripts" && cp scripts/healthcheck.mjs "$work/scripts/"
(cd "$work" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
# The runtime stage must not need dev dependencies.
[ ! -d "$work/node_modules/typescript" ] || { echo "container-check: dev dependencies leaked into the runtime" >&2; exit 1; }

mkdir -p "$work/data"
port=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
# Started directly (not in a subshell) so that $pid is node's own and SIGTERM reaches it.
NODE_ENV=production DATA_DIR="$work/data" HOST=127.0.0.1 PORT="$port" node "$work/dist/main.js" serve 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 50); do
  if curl -fsS "http://127.0.0.1:$port/api/health" >"$work/health.json" 2>/dev/null; then break; fi
  sleep 0.2
done
cat "$work/health.json" >/dev/null 2>&1 || { echo "container-check: /api/health did not answer"; cat "$work/serve.log"; exit 1; }
grep -q '"status":"ok"' "$work/health.json" || { echo "container-check: unhealthy: $(cat "$work/health.json")"; exit 1; }
[ -f "$work/data/sagewire.db" ] || { echo "container-check: no database in DATA_DIR"; exit 1; }
# The health check as Docker runs it (from /app, with the container's HOST and PORT): the address the server
# listens on, and loopback for a wildcard HOST such as the image's 0.0.0.0.
for probe_host in 127.0.0.1 0.0.0.0; do
  (cd "$work" && HOST=$probe_host PORT="$port" node scripts/healthcheck.mjs) \
    || { echo "container-check: scripts/healthcheck.mjs failed with HOST=$probe_host"; exit 1; }
done
kill -TERM "$pid"
wait "$pid" && status=0 || status=$?
[ "$status" -eq 0 ] || { echo "container-check: serve exited $status on SIGTERM"; cat "$work/serve.log"; exit 1; }
# And it must report a stopped server as unhealthy.
if (cd "$work" && HOST=127.0.0.1 PORT="$port" node scripts/healthcheck.mjs 2>/dev/null); then
  echo "container-check: scripts/healthcheck.mjs passed with the server stopped"; exit 1
fi
echo "container-check: production install, start, /api/health, the health check script and SIGTERM all passed"
