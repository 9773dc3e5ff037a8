#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make modules-SERIES: the three modules for another Debian release's
# kernel, built in a build root of that release (its headers, its
# linux-source and its compiler), made once by mmdebstrap and cached
# outside the clone, keyed on what it holds. The modules land in
# build/modules/<release>/ like the host's.
#
# usage: build-in-root.sh SERIES VERSION   (SERIES 6.12: Debian 13 "trixie")
#   XCOAL_CACHE   where the cache lives (default ~/.cache/xen-coalesce)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
series=$1 version=$2
. "$top/scripts/lib/apt.sh"

case $series in
6.12) suite=trixie ;;
*) echo "build-in-root: no Debian release known for Linux $series" >&2; exit 1 ;;
esac
pkgs="gcc,make,libc6-dev,linux-headers-amd64,linux-source-$series,patch,kmod,xz-utils,perl,bc,libelf-dev,flex,bison,dpkg"
key=$(echo "$suite $pkgs" | md5sum | cut -c1-8)
root=${XCOAL_CACHE:-$HOME/.cache/xen-coalesce}/root-$suite-$key
if [ ! -f "$root/.built" ]; then
	need_pkgs mmdebstrap
	echo "build-in-root: making a $suite build root in $root (a few minutes, once)" >&2
	rm -rf "$root"
	mkdir -p "$(dirname "$root")"
	uris=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
	[ -n "$uris" ] || uris=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list)
	mmdebstrap --variant=minbase --include="$pkgs" \
		--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
		"$suite" "$root" "deb $uris $suite main" > "$root.log" 2>&1 ||
		{ echo "build-in-root: mmdebstrap failed, see $root.log" >&2; exit 1; }
	rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/*
	touch "$root/.built"
fi

# The tree as git knows it, built inside with the project's own Makefile.
rm -rf "$root/build/xc" && mkdir -p "$root/build/xc"
git -C "$top" ls-files -z | (cd "$top" && xargs -0 cp --parents -t "$root/build/xc")
chroot "$root" /bin/bash -c "cd /build/xc && make -s modules XCOAL_VERSION='$version'" >&2
kv=$(ls "$root/build/xc/build/modules")
mkdir -p "$top/build/modules/$kv"
cp "$root/build/xc/build/modules/$kv"/*.ko "$top/build/modules/$kv/"
echo "$top/build/modules/$kv"
