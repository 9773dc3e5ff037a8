#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: xen-coalesce-dkms_VERSION_all.deb in build/deb/, built with
# dh-dkms. Its /usr/src/xen-coalesce-VERSION/ holds the project's sources
# and, for each series in patches/ whose linux-source is at hand (the one
# configured: KSRC), the upstream drivers with the series applied
# (stage/SERIES/, generated here, never committed), so DKMS builds the
# three modules for a kernel of a supported series and refuses others.
#
# usage: make-deb.sh KSRC SERIES
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=$1 series=$2
. "$top/scripts/lib/apt.sh"
need_pkgs debhelper dh-dkms dpkg-dev

cd "$top"
# A Debian version from git: 0.0~gitDATE.HASH (+dirty for a dirty tree).
date=$(git log -1 --format=%cd --date=format:%Y%m%d)
hash=$(git rev-parse --short=12 HEAD)
version=0.0~git$date.$hash
git diff --quiet HEAD 2>/dev/null || version=$version+dirty
work=build/deb/xen-coalesce-dkms-$version
rm -rf build/deb && mkdir -p "$work/src"

# The sources DKMS builds from: ours, and the staged drivers (links made
# by stage-drivers.sh become copies).
git ls-files -z Kbuild coalesce include netback netfront |
	xargs -0 cp --parents -t "$work/src"
scripts/stage-drivers.sh "$ksrc" "$series" "$work/stage-links" > /dev/null
mkdir -p "$work/src/stage"
cp -rL "$work/stage-links" "$work/src/stage/$series"
rm -rf "$work/stage-links"

mkdir -p "$work/debian/source"
echo "3.0 (native)" > "$work/debian/source/format"
cat > "$work/debian/control" <<EOC
Source: xen-coalesce-dkms
Section: kernel
Priority: optional
Maintainer: xen-coalesce developers <dev@xen-coalesce.invalid>
Build-Depends: debhelper-compat (= 13), dh-sequence-dkms
Standards-Version: 4.6.2
Rules-Requires-Root: no

Package: xen-coalesce-dkms
Architecture: all
Depends: \${misc:Depends}
Description: notification coalescing for Xen's split network drivers (DKMS)
 xen-coalesce.ko and drop-in xen-netback.ko and xen-netfront.ko with
 interrupt/notification coalescing, latency classes per vif and the dom0
 NIC controller, built by DKMS for the running kernel of a supported
 series ($series) and installed under updates/, where depmod prefers
 them over the in-tree drivers.
EOC
cat > "$work/debian/changelog" <<EOC
xen-coalesce-dkms ($version) unstable; urgency=medium

  * Built from git $hash.

 -- xen-coalesce developers <dev@xen-coalesce.invalid>  $(date -R -d "@$(git log -1 --format=%ct)")
EOC
cat > "$work/debian/copyright" <<EOC
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: xen-coalesce

Files: *
Copyright: xen-coalesce developers
License: GPL-2
 On Debian systems the full text of the GNU General Public License
 version 2 is in /usr/share/common-licenses/GPL-2.
EOC
# dh_dkms takes debian/PACKAGE.dkms for dkms.conf and fills #MODULE_VERSION#;
# the kernels it builds for are those of the series staged.
exclusive="^${series//./\\.}\\."
conf=$(cat packaging/dkms/dkms.conf.in)
printf '%s\n' "${conf//#EXCLUSIVE#/$exclusive}" > "$work/debian/xen-coalesce-dkms.dkms"
echo "src/* usr/src/xen-coalesce-$version/" > "$work/debian/xen-coalesce-dkms.install"
cat > "$work/debian/rules" <<'EOR'
#!/usr/bin/make -f
%:
	dh $@

# Nothing to build here: DKMS builds on the target.
override_dh_auto_build override_dh_auto_install override_dh_auto_test:

# The package's version is the modules' (#MODULE_VERSION#).
override_dh_dkms:
	dh_dkms -V
EOR
chmod +x "$work/debian/rules"
(cd "$work" && dpkg-buildpackage -us -uc -b) > build/deb/build.log 2>&1 ||
	{ tail -20 build/deb/build.log >&2; echo "make deb: dpkg-buildpackage failed (build/deb/build.log)" >&2; exit 1; }
ls build/deb/xen-coalesce-dkms_*_all.deb
