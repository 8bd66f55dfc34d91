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
# PORT (host port of the smoke run, 3170), KEEP_RUNNING=1 leaves the container running.
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

base_image() { # name rootfs-dir extra-packages
  local name=$1 dir=$2 extra=$3
  if podman image exists "$name"; then say "$name exists"; return; fi
  if [ ! -f "$dir/.done" ]; then
    say "debootstrap $SUITE (minbase${extra:+, $extra}) → $dir"
    rm -rf "$dir"
    debootstrap --variant=minbase ${extra:+--include="$extra"} "$SUITE" "$dir" "$mirror" >"$dir.log" 2>&1 ||
      { tail -20 "$dir.log"; exit 1; }
    # Smaller image: no apt lists or package cache, no documentation.
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
    touch "$dir/.done"
  fi
  say "podman import → $name"
  tar -C "$dir" --exclude=./.done -c . | podman import --change 'CMD ["/bin/bash"]' - "$name" >/dev/null
}
mkdir -p "$WORK"
base_image localhost/rpps-base:$SUITE "$WORK/runtime" ""
base_image localhost/rpps-build-base:$SUITE "$WORK/build" "nodejs,npm,ca-certificates"
