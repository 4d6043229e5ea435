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
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8765
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8765)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js", "serve"]
