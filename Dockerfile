# syntax=docker/dockerfile:1
#
# The one bienal binary in a small image. The same image runs every
# production part: `migrate`, `worker`, `web` (see docker-compose.yml), and
# the secretariat's commands (`programme import`, `activity list`, ...).

# The builder matches go.mod exactly, so the go command never tries to fetch
# another toolchain.
ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local
# Modules first: an edit to the code does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
# -tags nodev: the production build, without `bienal dev` and its embedded
# Temporal server (built so, about 34 MB instead of 150 MB, and 590 packages
# linked instead of 1,775); the image talks to the Temporal server compose runs.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -tags nodev -trimpath -ldflags="-s -w" -o /bienal ./cmd/bienal

# Debian slim rather than distroless: the compose healthchecks need curl.
FROM debian:bookworm-slim
# The report's PDF is printed by headless Chromium (report/pdf.go), so the
# image carries it with fonts for the four working languages. Build with
# --build-arg PDF=none for an image without them (Debian's chromium and
# chromium-common alone install 356 MB), whose portal and
# `bienal report` offer every format but PDF, saying why.
ARG PDF=chromium
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
       $(if [ "$PDF" = chromium ]; then echo chromium fonts-liberation; fi) \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 bienal \
    && useradd --system --uid 10001 --gid bienal --home-dir /var/lib/bienal --create-home bienal
COPY --from=build /bienal /bienal
# The example programme, so that `docker compose run --rm migrate programme
# import /usr/share/bienal/examples/programme-2017-2018.yaml` works as is.
COPY examples/ /usr/share/bienal/examples/
USER 10001:10001
WORKDIR /var/lib/bienal
# 8080: the portal (`web`); 9090: the worker's /metrics.
EXPOSE 8080 9090
ENTRYPOINT ["/bienal"]
CMD ["--help"]
