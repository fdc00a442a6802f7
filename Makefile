# Thin wrappers; the work is done by scripts/ and by the differential ISA tester, tests/isa
# (its README is at the top of tests/isa/isa-diff.c).
#
#   make build        scripts/build: build into build/
#   make test         scripts/test: dependencies, both builds, every test (as root)
#   make fuzz-isa [SEED=N] [COUNT=M] [CLASS=name|all] [EMU=cmd] [ISA_ARGS=...]
#                     COUNT random A64 instructions per class (default 1000000; classes: dp
#                     branch ldst fp simd mixed) run under vireo-aarch64 and qemu-aarch64 and
#                     compared; any difference is bisected and printed; non-zero exit on failure
#                     (77: only instructions vireo-aarch64 does not implement yet, SIGILL).

BUILD ?= build
SEED ?= 1
COUNT ?= 1000000
CLASS ?= all
EMU ?= $(BUILD)/src/emu/linux-user/vireo-aarch64
ISA_ARGS ?=
ISA_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vireo-isa

.PHONY: build test fuzz-isa

build:
	scripts/build

test:
	scripts/test

fuzz-isa:
	@isa=$$(tests/isa/build.sh '$(ISA_CACHE)') && \
	"$$isa" run --class '$(CLASS)' --seed '$(SEED)' --count '$(COUNT)' --emu '$(EMU)' $(ISA_ARGS)
