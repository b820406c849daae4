#!/bin/sh
# setup.sh - install what vtsim needs on Debian/Ubuntu, build it, and run
# either the default experiment or the tests.
#
#   ./setup.sh run     install, build, run configs/examples/nested-walk.ini,
#                      leave results/nested-walk.db and its plots in results/
#   ./setup.sh test    install, build with -Werror, run every test
#   ./setup.sh build   install and build only
#
# Installing packages needs root (or sudo).  Set VTSIM_NO_APT=1 to skip it
# when the packages are already there.
set -eu

cd "$(dirname "$0")"
what=${1:-build}

PACKAGES="build-essential autoconf automake libtool pkg-config \
libsystemc-dev libsqlite3-dev sqlite3 libcunit1-dev libzydis-dev \
libinih-dev gnuplot-nox binutils-ia64-linux-gnu"
# (binutils-ia64-linux-gnu assembles the IA-64 guests of workloads/ia64,
# which configs/examples/vti-fault-latency.ini runs.)

# The tests also boot the x86 guest images on QEMU, and check the x86
# executor against Unicorn: the references the x86 core is held to.
TEST_PACKAGES="qemu-system-x86 libunicorn-dev"

install_packages() {
    [ "${VTSIM_NO_APT:-0}" = 1 ] && return 0
    missing=""
    for p in $PACKAGES ${1:-}; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
            || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "setup: installing:$missing"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
}

build() {
    jobs=$(nproc 2>/dev/null || echo 2)
    if [ ! -x configure ] || [ configure.ac -nt configure ]; then
        autoreconf -fi
    fi
    if [ ! -f Makefile ] || [ configure -nt Makefile ] || [ "$1" != "$(cat .setup-flags 2>/dev/null)" ]; then
        ./configure --enable-werror $1
        echo "$1" > .setup-flags
    fi
    make -j"$jobs"
}

case "$what" in
run)
    install_packages
    build ""
    ./vtsim run configs/examples/nested-walk.ini --db results/nested-walk.db
    ./vtsim report results/nested-walk.db
    ./vtsim plot results/nested-walk.db --out results
    ;;
test)
    install_packages "$TEST_PACKAGES"
    build ""
    jobs=$(nproc 2>/dev/null || echo 2)
    make -j"$jobs" check
    ;;
build)
    install_packages
    build ""
    ;;
*)
    echo "usage: $0 run|test|build" >&2
    exit 2
    ;;
esac
