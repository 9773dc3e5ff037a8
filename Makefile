# SPDX-License-Identifier: GPL-2.0
#
# xen-coalesce: out-of-tree build of xen-coalesce.ko and drop-in
# xen-netback.ko / xen-netfront.ko.
#
#   make              build the three modules (installs what it lacks)
#   make lint         checkpatch --strict, W=1 and sparse: zero findings
#   make unit         user-space unit tests of the pure policy code
#   make fuzz         the policy fuzz target for FUZZ_SECS (default 30), and
#                     xcoal-sim's inputs for FUZZ_TRACE_SECS (default 15)
#   make modules-6.12 the modules for Debian 13's 6.12, in a cached trixie
#                     build root: build/modules/<6.12 release>/
#   make deb          xen-coalesce-dkms_VERSION_all.deb in build/deb/ (DKMS)
#   make sim          xcoal-sim (tools/xcoal-sim/): the policy code replayed
#                     at hardware rates; its fixed scenarios in build/sim/
#                     (make sim-record: Documentation/sim-results.rst)
#   make check        the test suite CI runs, ends "N passed, N failed, N skipped"
#   make check-all    make check and the long same-boot measurements against
#                     stock (tests marked "# XT-TIER: long")
#   make xen-test     the real-Xen tests alone (XT_TESTS="a b" picks some)
#   make demo         the main job: coalescing at work on a real Xen host
#   make bench        stock, off and classes A/B/C, 5 interleaved repetitions:
#                     build/bench/ (make bench-record: Documentation/results.rst)
#   make stress       scale and endurance: 6 guests, 2 queues, one event
#                     channel, 200 create/destroy cycles, 50 reloads
#   make xen-test-dkms  the DKMS package installed on a host and tested there
#   make check-debug  the kernel-side tests on a lockdep/kmemleak/KFENCE/
#                     UBSAN/DEBUG_OBJECTS kernel in dom0 and the domUs
#   make mutants      named defects in the kernel code, each caught by the
#                     tests meant to catch it (MUTANTS="a b" picks some)
#
# KDIR=<build tree> KSRC=<source tree> build for another kernel.
#   KSERIES=6.12      xen-test, xen-test-all, bench and stress on a Debian 13
#                     host (Xen 4.20, Linux 6.12), built in a trixie root

TOP := $(CURDIR)
.DEFAULT_GOAL := all
CONFIG := build/config.mk

NOCONFIG_GOALS := clean distclean unit fuzz sim sim-record modules-6.12 help
ifneq ($(filter-out $(NOCONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
-include $(CONFIG)
endif

DEBUG_CONFIG := build/debug/config.mk

ifeq ($(CONFIG),$(DEBUG_CONFIG))
# The debug kernel's configuration comes from its own build.
$(CONFIG):
	@scripts/debug-kernel.sh $@
else
# Reconfigure when the caller names another tree.
$(CONFIG): scripts/configure.sh $(if $(KDIR_ARG)$(KSRC_ARG),FORCE)
	@mkdir -p build
	@scripts/configure.sh $@
endif

KDIR_ARG := $(filter command line,$(origin KDIR))
KSRC_ARG := $(filter command line,$(origin KSRC))

XCOAL_VERSION := $(shell git -C $(TOP) describe --tags --always --dirty 2>/dev/null || echo unknown)
XCOAL_STAGE := build/stage/$(KV)
KBUILD_ARGS := -C $(KDIR) M=$(TOP) XCOAL_TOP=$(TOP) \
	XCOAL_STAGE=$(XCOAL_STAGE) XCOAL_VERSION=$(XCOAL_VERSION)
MODULES := coalesce/xen-coalesce.ko \
	$(XCOAL_STAGE)/tree/drivers/net/xen-netback/xen-netback.ko \
	$(XCOAL_STAGE)/netfront/xen-netfront.ko

.PHONY: all modules modules-6.12 harness-6.12 xen-test-6.12 xen-test-dkms test-modules stage lint unit fuzz sim deb xen-test check demo bench clean distclean help FORCE \
	check-all xen-test-all check-debug xen-test-debug stress mutants bench-record sim-record

all: modules

STAGE_STAMP := $(XCOAL_STAGE)/.staged
$(STAGE_STAMP): $(CONFIG) scripts/stage-drivers.sh $(wildcard patches/$(SERIES)/*) \
		$(wildcard netback/*.[ch] netfront/*.[ch])
	@scripts/stage-drivers.sh $(KSRC) $(SERIES) $(XCOAL_STAGE)
	@touch $@

stage: $(STAGE_STAMP)

modules: $(STAGE_STAMP)
	$(MAKE) $(KBUILD_ARGS) modules
	@mkdir -p build/modules/$(KV)
	@cp $(MODULES) build/modules/$(KV)/
	@echo "modules for $(KV) ($(XCOAL_VERSION)) in build/modules/$(KV)/"

# netdevsim (not built in Debian's kernel) from the same source tree, for
# the dom0 controller's tests: a NIC with the whole coalesce API.
NSIM := build/netdevsim/$(KV)
# A test-only patch lets a port refuse part of the rx-usecs range.
$(NSIM)/netdevsim.ko: $(CONFIG) $(wildcard selftests/xen/netdevsim/*.patch)
	@rm -rf $(NSIM) && mkdir -p $(NSIM)
	@cp $(KSRC)/drivers/net/netdevsim/* $(NSIM)/
	@for p in selftests/xen/netdevsim/*.patch; do patch -s -d $(NSIM) -p4 < $$p || exit 1; done
	$(MAKE) -C $(KDIR) M=$(TOP)/$(NSIM) CONFIG_NETDEVSIM=m modules
	@# dom0's initramfs has little room to spare: no debug info.
	@strip --strip-debug $@

# The harness's own test modules (selftests/xen/kmod/): xt_tx_window for
# the domUs, xt_set_race too, xt_ctl_vifs for dom0 (it calls xen-coalesce: built after it).
XTMOD := build/xt-kmod/$(KV)
$(XTMOD)/xt_tx_window.ko: $(CONFIG) $(wildcard selftests/xen/kmod/*) | modules
	@rm -rf $(XTMOD) && mkdir -p $(XTMOD)
	@cp selftests/xen/kmod/* $(XTMOD)/
	$(MAKE) -C $(KDIR) M=$(TOP)/$(XTMOD) XCOAL_TOP=$(TOP) \
		KBUILD_EXTRA_SYMBOLS=$(TOP)/Module.symvers W=1 modules
	@strip --strip-debug $(XTMOD)/*.ko

test-modules: $(NSIM)/netdevsim.ko $(XTMOD)/xt_tx_window.ko

lint: $(STAGE_STAMP)
	@scripts/lint.sh $(KSRC) $(SERIES) $(KV) "$(KBUILD_ARGS)"

unit:
	@$(MAKE) -s -C selftests/unit run

sim:
	@$(MAKE) -s -C tools/xcoal-sim scenarios

# Documentation/sim-results.rst from make sim's page (findings.sh).
sim-record: sim
	@cp build/sim/sim-results.rst Documentation/sim-results.rst
	@echo "Documentation/sim-results.rst from build/sim/"

deb: $(CONFIG)
	@scripts/make-deb.sh $(KSRC) $(SERIES)

# Another Debian release's kernel, in a build root of that release.
modules-6.12:
	@scripts/build-in-root.sh 6.12 $(XCOAL_VERSION)

fuzz:
	@$(MAKE) -s -C selftests/fuzz run

check: $(CONFIG)
	@scripts/check.sh

# make check and the tests marked "# XT-TIER: long" (same-boot measurements
# against stock, about 25 minutes more): not in CI's 90 minutes.
check-all: $(CONFIG)
	@scripts/check.sh all

# KSERIES=6.12: the harness on Debian 13 instead (Xen 4.20 and its 6.12
# kernel), everything built in scripts/build-in-root.sh's trixie root.
ifeq ($(KSERIES),6.12)
XT_PREREQ := harness-6.12
XT_ENV := XT_CONFIG=build/config-6.12.mk
XT_LAST := build/xen-trixie/last
else ifneq ($(KSERIES),)
$(error KSERIES=$(KSERIES): the harness knows 6.12 (Debian 13) besides the host's own kernel)
else
XT_PREREQ := modules test-modules
XT_ENV :=
XT_LAST := build/xen/last
endif

harness-6.12:
	@HARNESS=1 scripts/build-in-root.sh 6.12 $(XCOAL_VERSION) > /dev/null

# The DKMS package on a host: make deb, a dom0 root with it installed
# (DKMS builds the modules there) and dkms_host in that boot.
xen-test-dkms: deb test-modules
	@XT_DKMS_DEB=$$(ls build/deb/xen-coalesce-dkms_*_all.deb) selftests/xen/run.sh -t 1500 dkms_host

# make check's second host: Debian 13 (Xen 4.20, Linux 6.12), module
# identity, the four-way interop and the core coalescing tests; make
# check-all adds the protocol, classes and sim-replay tests (testing.rst
# says why).
XT_612_TESTS := modules interop coalesce_netback netdev_qstats
XT_612_TESTS_MORE := coalesce_protocol coalesce_classes coalesce_sim_replay
xen-test-6.12:
	@$(MAKE) -s xen-test KSERIES=6.12 \
		XT_TESTS="$(XT_612_TESTS) $(if $(XT_612_TESTS_ALL),$(XT_612_TESTS_MORE))"

xen-test: $(XT_PREREQ)
	@$(XT_ENV) selftests/xen/run.sh $(XT_TESTS)

xen-test-all: $(XT_PREREQ)
	@$(XT_ENV) selftests/xen/run.sh -t 7200 --all

# The debug-kernel tier: the tests that exercise the kernel code's locking,
# timers and teardown, on scripts/debug-kernel.sh's kernel (built once,
# cached outside the clone). Not part of make check: see testing.rst.
DEBUG_TESTS := modules lifecycle coalesce_netback coalesce_netfront coalesce_protocol \
	coalesce_classes coalesce_controller coalesce_suspend coalesce_blocked coalesce_xdp_watch \
	coalesce_teardown coalesce_stop

check-debug: $(CONFIG)
	@scripts/check.sh debug

xen-test-debug:
	@mkdir -p build/debug
	@scripts/debug-kernel.sh $(DEBUG_CONFIG)
	@$(MAKE) -s CONFIG=$(DEBUG_CONFIG) modules test-modules
	@XT_CONFIG=$(DEBUG_CONFIG) selftests/xen/run.sh -t 7200 $(or $(XT_TESTS),$(DEBUG_TESTS))

# The bench's time limit follows its plan: 45 s a run (a quiet 2-core
# machine takes about 15) and 10 minutes for the boots.
BENCH_RUNS = $(shell echo $$(( $(or $(REPS),5) * 5 * $(if $(SCENARIOS),$(words $(SCENARIOS)),6) )))
BENCH_LIMIT = $(shell echo $$(( 600 + 45 * $(BENCH_RUNS) )))

bench: $(XT_PREREQ)
	@echo "bench: $(BENCH_RUNS) runs, a limit of $$(( $(BENCH_LIMIT) / 60 )) minutes"
	@$(XT_ENV) XT_BENCH_REPS=$(REPS) XT_BENCH_SCENARIOS="$(SCENARIOS)" XT_BENCH_LIMIT=$(BENCH_LIMIT) \
		selftests/xen/run.sh -t $$(( $(BENCH_LIMIT) + 600 )) bench; rc=$$?; \
	d=$(XT_LAST)/results/bench; \
	if [ -f $$d/bench_runs.json ] || [ -s $$d/bench_runs.jsonl ]; then \
		mkdir -p build/bench && cp -r $$d/. build/bench/ && \
		jq -n --arg run "$$(basename "$$(readlink -f $(XT_LAST))")" --arg head "$(XCOAL_VERSION)" \
			--arg booted "$$(cat $(XT_LAST)/versions 2>/dev/null)" \
			--arg machine "$$(uname -m), $$(nproc) CPUs, QEMU TCG (no KVM)" \
			'{run: $$run, head: $$head, booted: $$booted, machine: $$machine}' > build/bench/meta.json && \
		scripts/bench-report.sh build/bench && echo && cat build/bench/ratios.md; \
	fi; exit $$rc

# The last bench becomes the documented one: its raw rows and description
# in Documentation/bench/, Documentation/results.rst made from them.
bench-record:
	@test -f build/bench/results.rst || { echo "bench-record: no build/bench/results.rst: make bench"; exit 1; }
	@mkdir -p Documentation/bench
	@cp build/bench/bench_runs.json build/bench/meta.json Documentation/bench/
	@cp build/bench/results.rst Documentation/results.rst
	@echo "Documentation/results.rst and Documentation/bench/ from build/bench/"

stress: $(XT_PREREQ)
	@$(XT_ENV) selftests/xen/run.sh -t 12600 stress_scale stress_cycles

mutants:
	@scripts/mutants.sh $(MUTANTS)

demo: modules test-modules
	@selftests/xen/run.sh demo; rc=$$?; \
	if [ -f build/xen/last/results/demo/demo.txt ]; then \
		echo; cat build/xen/last/results/demo/demo.txt; echo; \
		cat build/xen/last/results/demo/demo-reading.txt; echo; \
		echo "wake-ups: the event-channel interrupts dom0 and the domU took for the vif, and the coalescing timers' expiries in both, per MiB or per packet it moved"; \
		echo "all of it, with the JSON and the serial log: build/xen/last/"; \
	fi; exit $$rc

clean:
	find coalesce \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name 'modules.order' \) -delete
	rm -f Module.symvers modules.order .*.cmd
	@$(MAKE) -s -C selftests/unit clean
	@$(MAKE) -s -C selftests/fuzz clean
	@$(MAKE) -s -C tools/xcoal-sim clean
	rm -rf build/stage build/modules build/lint build/netdevsim build/xt-kmod build/debug build/deb

distclean: clean
	rm -rf build

help:
	@sed -n 's/^#   //p' Makefile
