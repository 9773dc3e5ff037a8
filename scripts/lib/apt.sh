# SPDX-License-Identifier: GPL-2.0
# need_pkgs PKG...: install the Debian packages that are missing, with the
# machine's own apt sources, and say so. Sourced by the other scripts.

pkg_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

need_pkgs() {
	local p missing=""

	for p in "$@"; do
		pkg_installed "$p" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "xen-coalesce: installing with apt:$missing" >&2
	if [ "$(id -u)" != 0 ]; then
		echo "xen-coalesce: not root: install$missing yourself" >&2
		return 1
	fi
	# Lists may be absent or stale on a fresh machine.
	apt-get update -qq >&2 || return 1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >&2
}
