# Kiln: one image for the API (`kiln api`) and the workers (`kiln worker`).
# The runtime installs exactly what scripts/setup.sh installs (Chromium,
# the font set, tini); the test suite runs the same script, so every step
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
 && useradd --system --create-home --uid 10001 kiln
COPY --from=build /out/kiln /usr/local/bin/kiln
USER kiln
WORKDIR /home/kiln
ENV KILN_CHROME_PATH=/usr/bin/chromium \
    KILN_STORE=file:///home/kiln/kiln-data \
    PORT=8080
EXPOSE 8080
# tini reaps Chromium's helpers and forwards SIGTERM for a graceful stop.
# As a non-root user Chromium keeps its sandbox on where the kernel allows
# unprivileged user namespaces (run with the default seccomp profile).
ENTRYPOINT ["/usr/bin/tini", "--", "kiln"]
CMD ["api"]
