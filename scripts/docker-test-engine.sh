#!/usr/bin/env bash
# A private Docker engine for Qflow's Docker-backend tests and benchmarks, on a Debian machine with
# no Docker Hub access:
#   scripts/docker-test-engine.sh start   installs docker.io + debootstrap when missing, starts dockerd
#                                         on a private socket and builds the Python images from Debian
#                                         packages; prints `export QFLOW_TEST_DOCKER_HOST=unix://...`
#   scripts/docker-test-engine.sh stop    stops that dockerd (and its containerd)
#   scripts/docker-test-engine.sh status  says whether it runs and which images it has
#
# Nothing touches the system's own Docker: the socket, data, exec root and pid file live under
# $QFLOW_DOCKER_STATE (default /tmp/qflow-docker). The engine has no bridge and no iptables rules
# because Qflow's containers always run with --network none. The debootstrapped root file systems
# are cached as tarballs under $QFLOW_IMAGE_CACHE (default ~/.cache/qflow-images), so a rerun on a
# machine that built them once only runs `docker import` (seconds).
#
# Images (override with QFLOW_DOCKER_IMAGES, same syntax as the runtime's qflow.python.docker.images
# plus the Debian suite: "3.11=qflow/python:3.11@bookworm,3.13=qflow/python:3.13@trixie").
set -euo pipefail

STATE="${QFLOW_DOCKER_STATE:-/tmp/qflow-docker}"
CACHE="${QFLOW_IMAGE_CACHE:-$HOME/.cache/qflow-images}"
MIRROR="${QFLOW_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
IMAGES="${QFLOW_DOCKER_IMAGES:-3.11=qflow/python:3.11@bookworm,3.13=qflow/python:3.13@trixie}"
SOCK="$STATE/docker.sock"
HOST="unix://$SOCK"
PIDFILE="$STATE/dockerd.pid"
LOG="$STATE/dockerd.log"

log() { echo "docker-test-engine: $*" >&2; }
die() { log "$*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The Debian docker.io client may be older than a docker CLI elsewhere on the PATH; either talks to
# the engine (the client negotiates the API version).
docker_cli() { DOCKER_HOST="$HOST" docker "$@"; }

ensure_packages() {
  local missing=() pkg
  command -v dpkg-query >/dev/null || die "not a Debian system: install docker.io (dockerd) and debootstrap yourself"
  for pkg in docker.io debootstrap; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  # Package scripts must not start the system-wide daemon on /var/run/docker.sock: we only want
  # the private one. policy-rc.d 101 = "action forbidden" (only while we install, and only if the
  # machine has no policy of its own).
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy"
    own_policy=1
  fi
  # Other jobs on the machine may be installing too: wait for dpkg's lock instead of failing.
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >&2 \
    || { [ $own_policy -eq 1 ] && as_root rm -f "$policy"; die "apt-get install ${missing[*]} failed"; }
  [ $own_policy -eq 1 ] && as_root rm -f "$policy"
  return 0
}

running() {
  [ -S "$SOCK" ] && [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null \
    && docker_cli version --format '{{.Server.Version}}' >/dev/null 2>&1
}

start_dockerd() {
  if running; then log "dockerd already runs on $HOST"; return 0; fi
  command -v dockerd >/dev/null || die "dockerd not found after installing docker.io"
  mkdir -p "$STATE/data" "$STATE/exec"
  echo '{}' > "$STATE/daemon.json"   # never pick up /etc/docker/daemon.json
  rm -f "$SOCK" "$PIDFILE"
  log "starting dockerd on $HOST (log: $LOG)"
  # setsid: the engine outlives this script (CI stops it with `stop`); --bridge=none/--iptables=false:
  # no networking is set up at all, containers run with --network none.
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  setsid "${sudo[@]}" dockerd --host "$HOST" --data-root "$STATE/data" --exec-root "$STATE/exec" \
    --pidfile "$PIDFILE" --config-file "$STATE/daemon.json" \
    --iptables=false --ip6tables=false --bridge=none --ip-masq=false --userland-proxy=false \
    >"$LOG" 2>&1 < /dev/null &
  local deadline=$((SECONDS + 60))
  until docker_cli version --format '{{.Server.Version}}' >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      tail -n 30 "$LOG" >&2 || true
      die "dockerd did not answer on $HOST within 60 s (log above: $LOG)"
    fi
    sleep 0.2
  done
  log "dockerd $(docker_cli version --format '{{.Server.Version}}') ready, storage driver $(docker_cli info --format '{{.Driver}}')"
}

rootfs_tarball() {   # suite -> path of a cached tarball of a minimal Debian with python3 + venv + pip
  local suite=$1 tar="$CACHE/$1-python.tar"
  if [ -s "$tar" ]; then echo "$tar"; return 0; fi
  mkdir -p "$CACHE"
  local dir
  dir="$(mktemp -d "$CACHE/.$suite.XXXXXX")"
  log "debootstrap $suite (minbase + python3-minimal python3-venv python3-pip) from $MIRROR"
  local t0=$SECONDS
  as_root debootstrap --variant=minbase --include=python3-minimal,python3-venv,python3-pip \
    "$suite" "$dir/root" "$MIRROR" > "$dir/debootstrap.log" 2>&1 \
    || { tail -n 30 "$dir/debootstrap.log" >&2; as_root rm -rf "$dir"; die "debootstrap $suite failed"; }
  # Smaller images: no apt lists or package caches are needed at run time.
  as_root rm -rf "$dir/root/var/cache/apt/archives/"*.deb "$dir/root/var/lib/apt/lists/"*
  as_root tar -C "$dir/root" --numeric-owner -cf "$tar.part" .
  mv "$tar.part" "$tar"
  as_root rm -rf "$dir"
  log "debootstrap $suite took $((SECONDS - t0)) s -> $tar ($(du -h "$tar" | cut -f1))"
  echo "$tar"
}

build_images() {
  local entry version rest image suite tar t0
  IFS=',' read -ra entries <<< "$IMAGES"
  for entry in "${entries[@]}"; do
    version="${entry%%=*}"; rest="${entry#*=}"; image="${rest%@*}"; suite="${rest##*@}"
    if docker_cli image inspect "$image" >/dev/null 2>&1; then
      log "image $image (Python $version, Debian $suite) present"
      continue
    fi
    tar="$(rootfs_tarball "$suite")"
    t0=$SECONDS
    docker_cli import --change 'CMD ["python3"]' --change 'ENV LANG=C.UTF-8' \
      --message "Debian $suite minbase + python3 (qflow docker-test-engine)" - "$image" < "$tar" >/dev/null
    local got
    got="$(docker_cli run --rm --network none "$image" python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    [ "$got" = "$version" ] || die "image $image has Python $got, expected $version (suite $suite)"
    log "imported $image (Python $got) in $((SECONDS - t0)) s"
  done
}

stop_dockerd() {
  if [ -f "$PIDFILE" ]; then
    local pid
    pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then
      # Containers still running from an aborted test would keep their shims: remove them first.
      local ids
      ids="$(docker_cli ps -aq 2>/dev/null || true)"
      [ -n "$ids" ] && docker_cli rm -f $ids >/dev/null 2>&1 || true
      as_root kill "$pid"
      local deadline=$((SECONDS + 30))
      while kill -0 "$pid" 2>/dev/null; do
        [ $SECONDS -ge $deadline ] && { log "dockerd $pid did not stop in 30 s: killing it"; as_root kill -9 "$pid"; break; }
        sleep 0.2
      done
      log "dockerd stopped"
    fi
  fi
  rm -f "$SOCK" "$PIDFILE"
}

case "${1:-start}" in
  start)
    ensure_packages
    start_dockerd
    build_images
    echo "export QFLOW_TEST_DOCKER_HOST=$HOST"
    ;;
  stop)
    stop_dockerd
    ;;
  status)
    if running; then
      echo "dockerd runs on $HOST"
      docker_cli images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^qflow/' || true
    else
      echo "no dockerd on $HOST"; exit 1
    fi
    ;;
  *)
    die "usage: $0 start|stop|status"
    ;;
esac
