# syntax=docker/dockerfile:1
# The console's image: built once in a full install, run by plain Node with production dependencies only.
# No Docker on the developers' machines or CI: scripts/production-start.test.ts reads this file and runs
# the final stage's COPY, `RUN npm …`, HEALTHCHECK and CMD in a fresh directory, on the build that
# `npm run build` (this file's build stage) made. Keep the steps in those forms so that the test can.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATA_DIR=/app/data
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY --from=build /app/build ./build
COPY scripts/launch.js ./scripts/launch.js
# DATA_DIR (sandbox state, a generated session secret, the embedded audit log) and the staff file:
# where the server and staff:add write; a named volume mounted on either starts with this owner.
RUN mkdir -p /app/data /app/staff && chown node:node /app/data /app/staff
USER node
EXPOSE 8080
# Asks on 127.0.0.1: keep 127.0.0.1 in ALLOWED_HOSTS (any other Host is refused with 421).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `npm start`'s own command, without npm: npm's `sh -c` would not pass `docker stop`'s SIGTERM on,
# node gets it here and closes gracefully (close-with-grace, src/server/main.ts). A young generation
# of 4 MiB semispaces (V8 grows them to 16 under load and keeps them): see the README's bulk section.
CMD ["node", "--max-semi-space-size=4", "scripts/launch.js", "main"]
