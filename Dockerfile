# One image for the Meetnet server and the simulators (docker-compose picks the command).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY services/contracts/package.json services/contracts/
COPY services/accounts/package.json services/accounts/
COPY services/server/package.json services/server/
COPY simulators/package.json simulators/
COPY dashboard/package.json dashboard/
COPY tests/package.json tests/
RUN npm ci --no-audit --no-fund
COPY services services
COPY simulators simulators
COPY dashboard dashboard
COPY tests tests
RUN npx tsc -b services/server services/accounts simulators && npm run build --workspace dashboard \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/services/contracts/package.json services/contracts/
COPY --from=build /app/services/contracts/dist services/contracts/dist
COPY --from=build /app/services/accounts/package.json services/accounts/
COPY --from=build /app/services/accounts/dist services/accounts/dist
COPY --from=build /app/services/server/package.json services/server/
COPY --from=build /app/services/server/dist services/server/dist
COPY --from=build /app/simulators/package.json simulators/
COPY --from=build /app/simulators/dist simulators/dist
COPY --from=build /app/dashboard/dist dashboard/dist
RUN mkdir -p /var/lib/meetnet/spool /var/lib/meetnet/users /var/lib/meetnet/alerts \
  && chown node:node /var/lib/meetnet/spool /var/lib/meetnet/users /var/lib/meetnet/alerts
USER node
EXPOSE 8080
CMD ["node", "services/server/dist/main.js"]
