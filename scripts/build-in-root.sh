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
6.12) suite=trixie xen=4.20 ;;
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
	mmdebstrap --variant=minbase --include="$pkgs" \
		--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
		"$suite" "$root" "deb $(apt_mirror) $suite main" > "$root.log" 2>&1 ||
		{ echo "build-in-root: mmdebstrap failed, see $root.log" >&2; exit 1; }
	rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/*
	touch "$root/.built"
fi

# The tree as git knows it, built inside with the project's own Makefile:
# the modules, and with HARNESS=1 the harness's test modules too (netdevsim
# and selftests/xen/kmod) and build/config-SERIES.mk, which the harness
# takes as XT_CONFIG to boot that release's Xen and kernel.
rm -rf "$root/build/xc" && mkdir -p "$root/build/xc"
git -C "$top" ls-files -z | (cd "$top" && xargs -0 cp --parents -t "$root/build/xc")
goals=modules
[ -n "${HARNESS:-}" ] && goals="modules test-modules"
chroot "$root" /bin/bash -c "cd /build/xc && make -s $goals XCOAL_VERSION='$version'" >&2
kv=$(ls "$root/build/xc/build/modules")
mkdir -p "$top/build/modules/$kv"
cp "$root/build/xc/build/modules/$kv"/*.ko "$top/build/modules/$kv/"
if [ -n "${HARNESS:-}" ]; then
	for d in netdevsim xt-kmod; do
		rm -rf "${top:?}/build/$d/$kv" && mkdir -p "$top/build/$d"
		cp -r "$root/build/xc/build/$d/$kv" "$top/build/$d/"
	done
	{ echo "# Written by scripts/build-in-root.sh: the harness on Debian's $suite."
	  echo "KV := $kv"
	  echo "SERIES := $series"
	  echo "SUITE := $suite"
	  echo "XEN := $xen"; } > "$top/build/config-$series.mk"
fi
echo "$top/build/modules/$kv"
