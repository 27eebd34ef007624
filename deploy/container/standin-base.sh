#!/usr/bin/env bash
# Build a stand-in for python:3.11-slim from Debian packages, for machines that reach no
# container registry (CI here): Debian bookworm minbase + Python 3.11 + pip, imported into podman.
# Usage: deploy/container/standin-base.sh [IMAGE]   (default localhost/pitcrew-base:3.11)
# Skips the build when the image already exists (podman's store is the cache).
set -euo pipefail
image="${1:-localhost/pitcrew-base:3.11}"
here="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
if podman image exists "$image"; then
  echo "standin-base: $image already present"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mmdebstrap --variant=minbase --quiet \
  --include=python3,python3-pip,python3-venv,python-is-python3,ca-certificates,passwd \
  --customize-hook='rm -f "$1"/usr/lib/python3.*/EXTERNALLY-MANAGED' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
  bookworm "$work/rootfs.tar" http://deb.debian.org/debian
podman import --change 'CMD ["python3"]' --change 'ENV LANG=C.UTF-8' "$work/rootfs.tar" "$image"
echo "standin-base: built $image"
