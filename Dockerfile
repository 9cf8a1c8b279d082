# syntax=docker/dockerfile:1
# The Directory as a container. It needs a MongoDB server: set MONGODB_URI (see docker-compose.yml).
# The embedded database (FerretDB) is for development and tests and is not part of the image.

# ---- build: compile TypeScript, then drop the dev dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- production dependencies only, installed fresh as scripts/production-smoke.sh does in CI ----
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# ---- runtime: compiled code, production dependencies and the files read at run time ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
# Owned by root and read-only to the app's user: the app writes nothing to its own files.
COPY --from=build /app/package.json ./package.json
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY views ./views
COPY public ./public
COPY locales ./locales
COPY seed ./seed
USER node
EXPOSE 3000
# No curl in the slim image: Node itself asks /readyz (the database answers and the directory is loaded).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('http').get('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz', (res) => process.exit(res.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1)).setTimeout(4000, function () { this.destroy(); process.exit(1); })"]
CMD ["node", "dist/src/server.js"]
