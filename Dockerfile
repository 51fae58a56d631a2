# syntax=docker/dockerfile:1
# Todo Manager MCP: build with the dev dependencies, run with the production ones, as `node`.
#
#   docker build -t todo-manager .
#   docker run -p 3001:3001 -v todo-manager-data:/data -e PUBLIC_URL=https://todos.example.com todo-manager
#
# BUILD_BASE needs npm, python3, make and g++ (better-sqlite3 compiles from source where no
# prebuilt binary fits); BASE needs node and a `node` user. Both default to the official images.
ARG BUILD_BASE=node:20-bookworm
ARG BASE=node:20-bookworm-slim

FROM ${BUILD_BASE} AS build
WORKDIR /app
# Dependencies first, so that a change to src/ reuses this layer. Scripts are skipped here because
# the project's own `prepare` would build before src/ is copied; the rebuild runs the
# dependencies' install scripts (better-sqlite3's native build).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${BASE}
ENV HOST=0.0.0.0 PORT=3001 DATABASE_URL=/data/todo-manager.db NODE_ENV=production
WORKDIR /app
# Owned by root: the server can read its code but not change it.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3001
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1: the server handles SIGTERM itself (drains requests, closes the database, exits 0).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/cli.js", "serve"]
