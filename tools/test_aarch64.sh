#!/usr/bin/env bash
# Runs crate act's tests for aarch64 (the NEON path and the portable one) under user-mode
# emulation, on an x86-64 Linux machine without ARM hardware.
#
# Needs, once: `rustup target add aarch64-unknown-linux-gnu` and Debian's packages
# gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user. Not part of CI (which lacks them);
# about 10 minutes on a 2-core machine, most of it the build.
#
#   tools/test_aarch64.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in aarch64-linux-gnu-gcc qemu-aarch64; do
    command -v "$tool" >/dev/null || {
        echo "test_aarch64: $tool not found (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)" >&2
        exit 2
    }
done
rustup target list --installed | grep -qx aarch64-unknown-linux-gnu || {
    echo "test_aarch64: the Rust target is missing (rustup target add aarch64-unknown-linux-gnu)" >&2
    exit 2
}
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
exec cargo test --release -p actlab-act --target aarch64-unknown-linux-gnu "$@"
