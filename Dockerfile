# One image for the whole monorepo; each compose service runs one app's dist/main.js.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
RUN npm ci --no-audit --no-fund && npx turbo run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/isikhnas-monitor && chown node /var/lib/isikhnas-monitor
COPY --from=build /app /app
USER node
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "apps/ops-cli/dist/main.js", "--help"]
