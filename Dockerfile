# syntax=docker/dockerfile:1
# One image for every role; the command picks it (README, "Deploy"):
#   API            node dist/src/api/main.js          (the default)
#   worker         node dist/src/worker/main.js       with WORKER_ROLES=workflows or sms,email,push
#   bridge         node dist/src/kafka-bridge/main.js
#   registration   node dist/src/temporal/register-cli.js --address HOST:PORT --namespace NS
# Node is PID 1 and handles SIGTERM itself: each role drains, then exits (no init process needed).

ARG BASE=docker.io/library/node:24-bookworm-slim

FROM ${BASE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Behind a TLS-intercepting proxy, pass its CA bundle for this step only (never stored in a layer):
#   --secret id=npm_ca,src=/etc/ssl/certs/ca-certificates.crt
RUN --mount=type=secret,id=npm_ca,required=false \
    if [ -f /run/secrets/npm_ca ]; then export npm_config_cafile=/run/secrets/npm_ca; fi; \
    npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build ./scripts/build
# The compiled service and the prebuilt workflow bundle, then only the runtime dependencies.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${BASE}
# Declared again: an ARG before the first FROM is visible only in FROM lines.
ARG BASE
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="communication-service" \
      org.opencontainers.image.description="Durable multi-tenant SMS, email and push sender on Temporal and Kafka" \
      org.opencontainers.image.licenses="ISC" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${BASE}"
ENV NODE_ENV=production \
    HOME=/tmp
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# Numeric, so Kubernetes' runAsNonRoot can verify it; the files stay root's and read-only to it, and nothing is
# written but to /tmp, so the root file system can be mounted read-only.
USER 10001:10001
EXPOSE 3000 3001 3002
# Whichever role runs, its health port answers /health/ready (src/image/health-probe.ts).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/src/image/health-probe.js"]
ENTRYPOINT ["node"]
CMD ["dist/src/api/main.js"]
