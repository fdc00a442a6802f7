#!/bin/sh
# Build isa-diff with gcc alone (no meson needed) into a cache directory and print its path:
#   tests/isa/build.sh [OUTDIR]      (default: ${XDG_CACHE_HOME:-$HOME/.cache}/vireo-isa)
# Rebuilds only when a source is newer than the binary. The same warnings as the project's
# meson build, as errors.
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/vireo-isa}
mkdir -p "$out"
bin=$out/isa-diff
if [ -x "$bin" ] && [ -z "$(find "$src" -newer "$bin" \( -name '*.c' -o -name '*.h' \) | head -1)" ]; then
	echo "$bin"
	exit 0
fi
${CC:-gcc} -std=gnu17 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wshadow -Wformat=2 \
	-Wno-format-truncation -Wno-unused-parameter -Wmissing-prototypes -Wstrict-prototypes \
	-o "$bin.tmp" $(ls "$src"/*.c | grep -v '/a64-scan\.c$')
mv "$bin.tmp" "$bin"
echo "$bin"
