#!/usr/bin/env bash
# Builds the RPPS+ image and runs it, on a Debian 12 machine that cannot pull base images
# (docs/operations.md#container-image). As root:
#   1. `debootstrap` a minimal bookworm root file system from this machine's own apt sources and
#      `podman import` it as the base images (runtime: minbase; build: + Debian's nodejs/npm,
#      which only run npm — the server runs on the pinned Node 26 of node_modules);
#   2. `podman build` the Containerfile on them (--build-arg BUILD_BASE / RUNTIME_BASE);
#   3. run the image on an embedded database, wait for its HEALTHCHECK, check /health/ready and
#      a page, stop it with SIGTERM.
# Environment: IMAGE (rpps-plus:local), WORK (/var/tmp/rpps-image: root file systems),
# PORT (host port of the smoke run, 3170), KEEP_RUNNING=1 leaves the container running,
# SMOKE_DATABASE_URL (postgres://… reachable from this host: a second run on PostgreSQL, the URL
# given as a podman secret read through DATABASE_URL_FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${IMAGE:-rpps-plus:local}
WORK=${WORK:-/var/tmp/rpps-image}
PORT=${PORT:-3170}
SUITE=bookworm
export DEBIAN_FRONTEND=noninteractive
say() { printf 'container-build: %s\n' "$*"; }

need=()
for cmd in podman buildah debootstrap; do command -v "$cmd" >/dev/null || need+=("$cmd"); done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq && apt-get install -y -qq podman buildah debootstrap >/dev/null
fi

# The Debian mirror this machine already uses (its apt sources), not a host name of ours.
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Created-By: Packages' | awk -v s="$SUITE" '$2 == s { print $1; exit }')
[ -n "$mirror" ] || { say "no apt source for $SUITE (run apt-get update)"; exit 1; }

minbase() { # one debootstrap, copied for each base image
  [ -f "$WORK/minbase/.done" ] && return
  say "debootstrap $SUITE minbase → $WORK/minbase"
  rm -rf "$WORK/minbase"
  debootstrap --variant=minbase "$SUITE" "$WORK/minbase" "$mirror" >"$WORK/minbase.log" 2>&1 || { tail -20 "$WORK/minbase.log"; exit 1; }
  touch "$WORK/minbase/.done"
}
base_image() { # name extra-packages trust-local-CAs (apt in a chroot of a copy of minbase)
  local name=$1 extra=$2 trust=${3:-0} dir
  if podman image exists "$name"; then say "$name exists"; return; fi
  minbase
  dir="$WORK/${name##*/}"; dir=${dir%%:*}
  say "$name: minbase + $extra"
  rm -rf "$dir" && cp -a "$WORK/minbase" "$dir" && rm "$dir/.done"
  # debootstrap's own --include does not follow virtual packages (npm's): apt in a chroot does.
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  mount -t proc proc "$dir/proc"
  chroot "$dir" sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $extra" >"$dir.log" 2>&1 ||
    { umount "$dir/proc"; tail -20 "$dir.log"; exit 1; }
  local change=()
  if [ "$trust" = 1 ]; then
    # The build stage reaches the npm registry the way this machine does: with the certificate
    # authorities this machine adds to Debian's (a TLS-inspecting proxy's, here). Only in the
    # build base; the runtime image never gets them.
    cp /usr/local/share/ca-certificates/*.crt "$dir/usr/local/share/ca-certificates/" 2>/dev/null || true
    chroot "$dir" update-ca-certificates >>"$dir.log" 2>&1
    change=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
  fi
  umount "$dir/proc"
  # Smaller image: no apt lists or package cache, no documentation.
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
  say "podman import → $name"
  tar -C "$dir" -c . | podman import -q --change 'CMD ["/bin/bash"]' "${change[@]}" - "$name" >/dev/null
  rm -rf "$dir"
}
mkdir -p "$WORK"
# This sandbox (and some CI machines): no CAP_SYS_RESOURCE, so the runtime may not raise the
# containers' rlimits to podman's defaults; cgroup v1/v2 hybrid, which crun refuses and runc takes.
# A containers.conf of our own (the system's is left alone) sets both; CONTAINER_RUNTIME overrides.
runtime=${CONTAINER_RUNTIME:-runc}
if [ "$runtime" = runc ] && ! command -v runc >/dev/null; then apt-get install -y -qq runc >/dev/null; fi
# (Measured here: nofile at the hard limit is accepted, nproc above 32768 is not.)
nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=65536
nproc=$(ulimit -Hu); { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
cat >"$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "$runtime"
CONF
export CONTAINERS_CONF="$WORK/containers.conf"
base_image localhost/rpps-base:$SUITE libatomic1
base_image localhost/rpps-build-base:$SUITE "nodejs npm ca-certificates libatomic1" 1

say "podman build → $IMAGE (runtime $runtime)"
start=$(date +%s)
podman build --format docker --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc" \
  --build-arg BUILD_BASE=localhost/rpps-build-base:$SUITE --build-arg RUNTIME_BASE=localhost/rpps-base:$SUITE \
  -f Containerfile -t "$IMAGE" .
say "built in $(( $(date +%s) - start )) s: $(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{ printf "%.0f MB", $1 / 1e6 }')"

# Smoke run: embedded database in a volume, production mode, published on the loopback only.
name=rpps-smoke-$$
cleanup() { [ "${KEEP_RUNNING:-}" = 1 ] || podman rm -f -t 5 "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
say "podman run $name on 127.0.0.1:$PORT"
started=$(date +%s)
podman run -d --name "$name" -p "127.0.0.1:$PORT:3000" -v "$name-data:/data" -e PUBLIC_URL="http://localhost:$PORT" "$IMAGE" >/dev/null
say "user in the container: $(podman exec "$name" id -un), node $(podman exec "$name" /app/node_modules/.bin/node --version)"
# The HEALTHCHECK as the runtime runs it (podman has no timer without systemd: run it by hand).
for i in $(seq 1 90); do
  if podman healthcheck run "$name" >/dev/null 2>&1; then break; fi
  [ "$(podman inspect "$name" --format '{{.State.Running}}')" = true ] || { podman logs "$name" | tail -20; say "the container stopped"; exit 1; }
  [ "$i" = 90 ] && { podman logs "$name" | tail -20; say "HEALTHCHECK still failing after 180 s"; exit 1; }
  sleep 2
done
say "HEALTHCHECK: $(podman inspect "$name" --format '{{.State.Health.Status}}') after $(( $(date +%s) - started )) s"
curl -fsS "http://127.0.0.1:$PORT/health/ready" && echo
curl -fsS "http://127.0.0.1:$PORT/" | grep -o '<title>[^<]*</title>'
curl -sS -o /dev/null -w 'container-build: GET /api/directory/practitioners → %{http_code}\n' "http://127.0.0.1:$PORT/api/directory/practitioners"
# Production dependencies only, no npm in the runtime image.
podman exec "$name" sh -c 'test ! -e node_modules/vite && test ! -e node_modules/tsx && ! command -v npm >/dev/null' ||
  { say "development tools or npm found in the image"; exit 1; }
say "no Vite, tsx or npm in the image; node_modules $(podman exec "$name" du -sh node_modules | cut -f1)"
# The server cannot change its own code; it writes only /data.
podman exec "$name" sh -c '! touch src/server/main.ts 2>/dev/null && touch /data/.w && rm /data/.w' ||
  { say "rpps may write its code, or not /data"; exit 1; }
say "code read-only for rpps, /data writable"
if [ "${KEEP_RUNNING:-}" = 1 ]; then say "left running: $name (podman rm -f $name)"; exit 0; fi
say "podman stop (SIGTERM)"
podman stop -t 30 "$name" >/dev/null
say "exit code $(podman inspect "$name" --format '{{.State.ExitCode}}'); last log lines:"
podman logs "$name" 2>&1 | tail -5
podman volume rm -f "$name-data" >/dev/null

if [ -n "${SMOKE_DATABASE_URL:-}" ]; then
  say "podman run $name-pg on PostgreSQL (host network, DATABASE_URL_FILE from a podman secret)"
  podman secret rm "$name-db" >/dev/null 2>&1 || true
  printf '%s\n' "$SMOKE_DATABASE_URL" | podman secret create "$name-db" - >/dev/null
  podman run -d --name "$name-pg" --network host --secret "$name-db,target=/run/secrets/database_url" \
    -e DATABASE_URL_FILE=/run/secrets/database_url -e HOST=127.0.0.1 -e PORT="$PORT" -e PUBLIC_URL="http://localhost:$PORT" "$IMAGE" >/dev/null
  trap 'cleanup; podman rm -f -t 5 "$name-pg" >/dev/null 2>&1; podman secret rm "$name-db" >/dev/null 2>&1' EXIT
  for i in $(seq 1 90); do
    podman healthcheck run "$name-pg" >/dev/null 2>&1 && break
    [ "$i" = 90 ] && { podman logs "$name-pg" | tail -20; say "HEALTHCHECK still failing after 180 s"; exit 1; }
    sleep 2
  done
  say "HEALTHCHECK on PostgreSQL: $(podman inspect "$name-pg" --format '{{.State.Health.Status}}'); $(curl -fsS "http://127.0.0.1:$PORT/health/ready")"
  podman logs "$name-pg" 2>&1 | grep -q 'database: PostgreSQL' || { say "not on PostgreSQL"; exit 1; }
  podman stop -t 30 "$name-pg" >/dev/null
  say "exit code $(podman inspect "$name-pg" --format '{{.State.ExitCode}}')"
fi
say "done"
