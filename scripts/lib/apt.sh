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

# The machine's own Debian mirror (the first URIs of its apt sources).
apt_mirror() {
	local uris

	uris=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
	[ -n "$uris" ] || uris=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list)
	echo "$uris"
}

# apt_download SUITE STATE DIR PKG...: download PKG... of another Debian
# release (SUITE, e.g. trixie) into DIR, from the machine's own mirror,
# with an apt state of its own below STATE: the host's lists stay as they
# are. The host's keyring signs both releases.
apt_download() {
	local suite=$1 state=$2 dir=$3

	shift 3
	mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$dir"
	echo "deb $(apt_mirror) $suite main" > "$state/sources.list"
	cat > "$state/apt.conf" <<EOC
Dir::Etc::SourceList "$state/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::State::Lists "$state/lists";
Dir::Cache "$state/cache";
EOC
	APT_CONFIG=$state/apt.conf apt-get -q update >&2 || return 1
	(cd "$dir" && APT_CONFIG=$state/apt.conf apt-get -q download "$@") >&2
}
