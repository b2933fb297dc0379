# Kiln: one image for the API (`kiln api`) and the workers (`kiln worker`).
# The runtime installs exactly what scripts/setup.sh installs (Chromium,
# the font set, ffmpeg, tini); the test suite runs the same script, so every step
# is exercised on each CI run.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/kiln ./cmd/kiln

FROM debian:bookworm-slim
COPY scripts/setup.sh /tmp/setup.sh
RUN bash /tmp/setup.sh && rm -rf /var/lib/apt/lists/* /tmp/setup.sh \
 && useradd --system --create-home --uid 10001 kiln \
 && printf '#!/bin/sh\n# Chromium without its sandbox, for hosts that forbid it (docs/deploy.md).\nexec /usr/bin/chromium --no-sandbox "$@"\n' \
      > /usr/local/bin/chromium-no-sandbox \
 && chmod 755 /usr/local/bin/chromium-no-sandbox
COPY --from=build /out/kiln /usr/local/bin/kiln
USER kiln
WORKDIR /home/kiln
ENV KILN_CHROME_PATH=/usr/bin/chromium \
    KILN_STORE=file:///home/kiln/kiln-data \
    PORT=8080
EXPOSE 8080
# The API answers /healthz on $PORT; a worker container sets
# KILN_METRICS_ADDR=:9090 and KILN_HEALTH_URL=http://127.0.0.1:9090/healthz.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/kiln", "healthcheck"]
# tini reaps Chromium's helpers and forwards SIGTERM for a graceful stop.
# As a non-root user Chromium keeps its sandbox on where the kernel allows
# unprivileged user namespaces (run with the default seccomp profile);
# where the host forbids them, set KILN_CHROME_PATH=/usr/local/bin/chromium-no-sandbox
# (docs/deploy.md, "Chromium sandbox").
ENTRYPOINT ["/usr/bin/tini", "--", "kiln"]
CMD ["api"]
