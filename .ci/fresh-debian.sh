#!/usr/bin/env bash
# A fresh Debian 12 for CI: a `debootstrap --variant=minbase bookworm` tree with nothing else
# installed, so README's commands are proven where a missing install step cannot hide.
#
#   .ci/fresh-debian.sh make TREE          a fresh tree at TREE (from the cached one, or made anew)
#   .ci/fresh-debian.sh run TREE CMD...    CMD as root inside TREE (/proc, /sys, /dev mounted;
#                                          a clean environment; the network for apt)
#   .ci/fresh-debian.sh clean TREE         unmount and delete TREE
#
# The pristine tree is cached as a tarball in $TIMESLICE_CI_CACHE (default
# /var/cache/timeslice-ci): debootstrap runs once per machine; delete the tarball to refresh it.
# The tree's downloaded .debs and ccache are kept there too, so a second run downloads and
# compiles less; on a new machine everything comes from Debian's mirror.
set -euo pipefail

cache=${TIMESLICE_CI_CACHE:-/var/cache/timeslice-ci}
mirror=${TIMESLICE_CI_MIRROR:-http://deb.debian.org/debian}
tarball=$cache/bookworm-minbase.tar.gz

die() { echo "fresh-debian: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot and mount need it)"

make_tree() {
  local tree=$1
  mkdir -p "$cache"
  if [ ! -s "$tarball" ]; then
    command -v debootstrap >/dev/null || {
      echo "fresh-debian: installing debootstrap on this machine" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
    }
    local work=$cache/debootstrap.$$
    rm -rf "$work"
    echo "fresh-debian: debootstrap --variant=minbase bookworm from $mirror (cached afterwards in $tarball)" >&2
    debootstrap --variant=minbase bookworm "$work" "$mirror" >"$cache/debootstrap.log" 2>&1 \
      || { tail -n 20 "$cache/debootstrap.log" >&2; rm -rf "$work"; die "debootstrap failed (log: $cache/debootstrap.log)"; }
    tar -C "$work" -czf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$work"
  else
    echo "fresh-debian: the cached minimal tree of $(date -r "$tarball" +%F) ($tarball)" >&2
  fi
  clean_tree "$tree"
  mkdir -p "$tree"
  tar -C "$tree" -xzf "$tarball"
}

# Mount points at or under $1, deepest first.
mounted() {
  local top
  top=$(realpath -m "$1")
  findmnt -rn -o TARGET | awk -v top="$top" '$0 == top || index($0, top "/") == 1' | sort -r
}

clean_tree() {
  local tree=$1
  [ -e "$tree" ] || return 0
  local m
  for m in $(mounted "$tree"); do umount -l "$m" 2>/dev/null || true; done
  # Never delete through a mount point that is still there (it would reach this machine's /dev).
  [ -z "$(mounted "$tree")" ] || die "cannot unmount everything under $tree: $(mounted "$tree" | tr '\n' ' ')"
  rm -rf --one-file-system "$tree"
}

run_in() {
  local tree=$1
  shift
  [ -x "$tree/bin/bash" ] || die "$tree is not a Debian tree (make it first)"
  mkdir -p "$cache/apt-archives/partial" "$cache/ccache"
  if [ -z "$(mounted "$tree")" ]; then
    mount -t proc proc "$tree/proc"
    mount -t sysfs sysfs "$tree/sys"
    mount --rbind /dev "$tree/dev"
    mount --make-rslave "$tree/dev"
    mount -t tmpfs tmpfs "$tree/tmp"
    mount --bind "$cache/apt-archives" "$tree/var/cache/apt/archives"
    mkdir -p "$tree/root/.cache/ccache"
    mount --bind "$cache/ccache" "$tree/root/.cache/ccache"
  fi
  cp -L /etc/resolv.conf "$tree/etc/resolv.conf"
  # Nothing of this machine's environment goes in: the tree has only what it installed.
  chroot "$tree" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CCACHE_DIR=/root/.cache/ccache /bin/bash -c "$*"
}

case "${1:-}" in
  make) [ $# -eq 2 ] || die "usage: make TREE"; make_tree "$2" ;;
  run) [ $# -ge 3 ] || die "usage: run TREE CMD..."; tree=$2; shift 2; run_in "$tree" "$@" ;;
  clean) [ $# -eq 2 ] || die "usage: clean TREE"; clean_tree "$2" ;;
  *) die "usage: .ci/fresh-debian.sh make|run|clean TREE [CMD...]" ;;
esac
