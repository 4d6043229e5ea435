# syntax=docker/dockerfile:1
# Build stage: full install (TypeScript), compile to dist/. The Node major is the one .node-version names
# (CI and scripts/container-check.sh run on it).
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY migrations ./migrations
COPY src ./src
RUN npm run build

# Production dependencies only. Nothing compiles: better-sqlite3 and @node-rs/argon2 ship prebuilt
# Node-API binaries for linux-x64 and linux-arm64, so no compiler is installed.
FROM node:26-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Runtime: slim Node LTS, non-root, data on a volume.
FROM node:26-bookworm-slim AS runtime
ENV NODE_ENV=production DATA_DIR=/data HOST=0.0.0.0 PORT=8765
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY scripts/healthcheck.mjs ./scripts/healthcheck.mjs
# The node user of the base image: uid 1000, gid 1000 (a bind-mounted /data must be writable by it).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8765
# Probes the HOST and PORT the server listens on (loopback for a wildcard HOST), so changing either
# in .env keeps the container healthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "scripts/healthcheck.mjs"]
CMD ["node", "dist/main.js", "serve"]
