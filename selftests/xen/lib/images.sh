# SPDX-License-Identifier: GPL-2.0
# Images for the real-Xen harness, cached below $XT_CACHE and rebuilt only
# when an input changes:
#   xen, vmlinuz   from Debian's xen-hypervisor-$XT_XEN-amd64 and
#                  linux-image-$KV (the ABI the modules were built for),
#                  extracted, not installed
#   rootfs/        dom0 userspace made by mmdebstrap from the host's apt sources
#   base.cpio      rootfs packed for the dom0 initramfs
#   domu.cpio.gz   a small domU initramfs: busybox, the tools the tests use,
#                  stock and project netfront (made per run: it is cheap)
# Sourced by run.sh; expects KV, XT_CACHE, XT_SRC (this folder), XT_MODS,
# and SUITE and XEN from the configuration when it is not the host's
# release: Debian 12 "bookworm" with Xen 4.17 by default, Debian 13
# "trixie" with Xen 4.20 for build/config-6.12.mk (make modules-6.12).

XT_SUITE=${SUITE:-bookworm} XT_XEN=${XEN:-4.17}
XT_DOM0_PACKAGES="xen-utils-$XT_XEN,xenstore-utils,iproute2,iperf3,sockperf,ethtool,busybox,kmod,iputils-ping,procps,jq,coreutils,tcpdump"
# The binaries the domU initramfs carries, with their libraries.
XT_DOMU_BINARIES="usr/bin/iperf3 usr/bin/sockperf usr/sbin/ethtool"

# The host's own apt sources: no mirror is named here. Another release:
# the same mirror, that release's suite.
xt_apt_sources() {
	if [ "$XT_SUITE" != bookworm ]; then
		echo "deb $(apt_mirror) $XT_SUITE main"
	elif [ -f /etc/apt/sources.list.d/debian.sources ]; then
		echo /etc/apt/sources.list.d/debian.sources
	else
		echo /etc/apt/sources.list
	fi
}

# Xen and the kernel, from their Debian packages; or, when XT_KERNEL names
# a kernel built by scripts/debug-kernel.sh, that kernel and its modules.
# The kernel's files go to XT_BOOT ($XT_CACHE/boot-$KV).
xt_images_boot() {
	local ex=$XT_CACHE/ex-$KV debs=linux-image-$KV xen=xen-hypervisor-$XT_XEN-amd64

	[ -n "$XT_KERNEL" ] && { ex=$XT_CACHE/ex-xen; debs=; }
	if [ ! -f "$ex/.done" ]; then
		rm -rf "$ex" && mkdir -p "$ex/debs"
		if [ "$XT_SUITE" = bookworm ]; then
			# shellcheck disable=SC2086
			(cd "$ex/debs" && apt-get download -q $xen $debs) >&2
		else
			# shellcheck disable=SC2086
			apt_download "$XT_SUITE" "$XT_CACHE/apt-$XT_SUITE" "$ex/debs" $xen $debs
		fi || { echo "images: apt-get download failed" >&2; return 1; }
		for d in "$ex"/debs/*.deb; do dpkg-deb -x "$d" "$ex/root"; done
		touch "$ex/.done"
	fi
	# Xen is a multiboot ELF: QEMU loads it uncompressed.
	[ "$XT_CACHE/xen" -nt "$ex/.done" ] ||
		zcat "$ex/root/boot/xen-$XT_XEN-amd64.gz" > "$XT_CACHE/xen"
	XT_XEN_VERSION=$(dpkg-deb -f "$ex/debs/${xen}_"*.deb Version)
	XT_BOOT=$XT_CACHE/boot-$KV
	mkdir -p "$XT_BOOT"
	if [ -n "$XT_KERNEL" ]; then
		XT_KMODS=$XT_KERNEL/install/lib/modules/$KV
		cp -u "$XT_KERNEL/obj/arch/x86/boot/bzImage" "$XT_BOOT/vmlinuz"
		cp -u "$XT_KERNEL/obj/vmlinux" "$XT_BOOT/vmlinux"
		XT_KERNEL_VERSION="debug build, $XT_KERNEL"
		return 0
	fi
	XT_KMODS=$ex/root/lib/modules/$KV
	[ -d "$XT_KMODS" ] || XT_KMODS=$ex/root/usr/lib/modules/$KV # Debian 13: merged /usr
	cp -u "$ex/root/boot/vmlinuz-$KV" "$XT_BOOT/vmlinuz"
	# domUs boot the ELF inside the bzImage: xl's own XZ decompression of
	# the kernel failed now and then under TCG ("Invalid kernel").
	# Debian 12 compresses it with XZ, 13 with zstd.
	if [ ! "$XT_BOOT/vmlinux" -nt "$XT_BOOT/vmlinuz" ]; then
		local off unz=xz
		off=$(perl -0777 -ne 'print index($_, "\xfd7zXZ\x00")' "$XT_BOOT/vmlinuz")
		if [ "$off" = -1 ]; then
			unz=zstd
			off=$(perl -0777 -ne 'print index($_, "\x28\xb5\x2f\xfd")' "$XT_BOOT/vmlinuz")
		fi
		tail -c +$((off + 1)) "$XT_BOOT/vmlinuz" | $unz -dc 2> /dev/null > "$XT_BOOT/vmlinux"
		[ "$(head -c 4 "$XT_BOOT/vmlinux" | tail -c 3)" = ELF ] ||
			{ echo "images: no XZ- or zstd-compressed ELF found in vmlinuz-$KV" >&2; rm -f "$XT_BOOT/vmlinux"; return 1; }
	fi
	XT_KERNEL_VERSION=$(dpkg-deb -f "$ex"/debs/"$debs"_*.deb Version)
}

# dom0 userspace; keyed on the package list so a change rebuilds it. With
# XT_DKMS_DEB (make xen-test-dkms) a root of its own: dkms, the kernel's
# headers and that package installed, so that DKMS built the modules in
# it at install time, as on an operator's host (keyed on the package too).
xt_images_rootfs() {
	local key name=base pkgs=$XT_DOM0_PACKAGES hooks=()

	XT_ROOTFS=$XT_CACHE/rootfs
	key=$(echo "$pkgs" | md5sum | cut -c1-8)
	if [ -n "${XT_DKMS_DEB:-}" ]; then
		XT_ROOTFS=$XT_CACHE/rootfs-dkms name=dkms pkgs="$pkgs,dkms,linux-headers-$KV"
		key=$({ echo "$pkgs"; md5sum < "$XT_DKMS_DEB"; } | md5sum | cut -c1-8)
		hooks=(--customize-hook="copy-in $XT_DKMS_DEB /tmp"
		       --customize-hook="chroot \"\$1\" dpkg -i /tmp/$(basename "$XT_DKMS_DEB")")
	fi
	if [ ! -f "$XT_CACHE/$name-$key.cpio" ]; then
		echo "images: building the dom0 rootfs with mmdebstrap (a minute or two)" >&2
		rm -rf "$XT_ROOTFS" "$XT_CACHE/$name"-*.cpio
		mmdebstrap --variant=minbase --include="$pkgs" \
			--dpkgopt='path-exclude=/usr/share/doc/*' \
			--dpkgopt='path-exclude=/usr/share/man/*' \
			--dpkgopt='path-exclude=/usr/share/locale/*' \
			"${hooks[@]}" "$XT_SUITE" "$XT_ROOTFS" "$(xt_apt_sources)" \
			> "$XT_CACHE/mmdebstrap.log" 2>&1 ||
			{ echo "images: mmdebstrap failed, see $XT_CACHE/mmdebstrap.log" >&2; return 1; }
		rm -rf "$XT_ROOTFS"/var/cache/apt/* "$XT_ROOTFS"/var/lib/apt/lists/*
		(cd "$XT_ROOTFS" && find . -xdev | cpio -o -H newc --quiet) \
			> "$XT_CACHE/$name-$key.cpio.tmp" &&
			mv "$XT_CACHE/$name-$key.cpio.tmp" "$XT_CACHE/$name-$key.cpio"
	fi
	XT_BASE_CPIO=$XT_CACHE/$name-$key.cpio
}

# copy_with_libs ROOT DEST FILE: FILE (relative to ROOT) and, recursively,
# the shared libraries it needs, as found in ROOT.
xt_copy_with_libs() {
	local root=$1 dest=$2 f=$3 lib p

	[ -e "$dest/$f" ] && return 0
	mkdir -p "$dest/$(dirname "$f")"
	cp -L "$root/$f" "$dest/$f"
	for lib in $(readelf -d "$root/$f" 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
		for p in usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu; do
			[ -e "$root/$p/$lib" ] || continue
			xt_copy_with_libs "$root" "$dest" "usr/lib/x86_64-linux-gnu/$lib"
			break
		done
	done
}

# The domU initramfs: busybox, the tools, stock and project netfront.
xt_images_domu() {
	local d=$XT_WORK/domu b

	rm -rf "$d" && mkdir -p "$d"/{bin,proc,sys,dev,tmp,run,www/cgi-bin,lib64,xt/stock,xt/project}
	cp /bin/busybox "$d/bin/"
	for b in $(busybox --list); do
		[ "$b" = busybox ] || ln -s busybox "$d/bin/$b"
	done
	for b in $XT_DOMU_BINARIES; do
		xt_copy_with_libs "$XT_ROOTFS" "$d" "$b"
	done
	# The loader where the binaries look for it; usr/lib is where they
	# look for libraries (no merged-usr links in this tiny root).
	cp -L "$XT_ROOTFS/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$d/lib64/"
	ln -s usr/lib "$d/lib"
	# The guest's busybox insmod takes it uncompressed (Debian 13 ships .ko.xz).
	if [ -f "$XT_KMODS/kernel/drivers/net/xen-netfront.ko" ]; then
		cp "$XT_KMODS/kernel/drivers/net/xen-netfront.ko" "$d/xt/stock/"
	else
		xz -dc "$XT_KMODS/kernel/drivers/net/xen-netfront.ko.xz" > "$d/xt/stock/xen-netfront.ko"
	fi
	cp "$XT_MODS/xen-coalesce.ko" "$XT_MODS/xen-netfront.ko" "$d/xt/project/"
	# The harness's test modules (coalesce_tx_teardown, coalesce_set_race).
	mkdir -p "$d/xt/test-modules"
	cp "$XT_XTMOD" "$(dirname "$XT_XTMOD")/xt_set_race.ko" "$d/xt/test-modules/"
	cp "$XT_SRC/domu/init" "$d/init"
	cp "$XT_SRC/dom0/kernel-log.sh" "$d/xt/"
	cp "$XT_SRC/domu/netfront-reload" "$XT_SRC/domu/xdp-rebind-flip" "$d/bin/"
	for b in xdp-flip tx-stamps udp-flood; do
		gcc -static -O2 -Wall -o "$d/bin/$b" "$XT_SRC/domu/$b.c" ||
			{ echo "images: $b did not build" >&2; return 1; }
	done
	cp "$XT_SRC/domu/exec.cgi" "$d/www/cgi-bin/exec"
	chmod +x "$d/init" "$d/www/cgi-bin/exec"
	(cd "$d" && find . | cpio -o -H newc --quiet | gzip -1) > "$XT_WORK/domu.cpio.gz"
	rm -rf "$d"
}
