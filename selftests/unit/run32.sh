#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The unit tests built with gcc -m32 and run: the pure policy code is part
# of 32-bit kernels too. Installs gcc-multilib when it is missing.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib/apt.sh"
need_pkgs gcc-multilib >&2 || exit 1
make -s -C "$top/selftests/unit" run32
