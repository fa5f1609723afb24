#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what building and testing pasidtool needs, on Debian, when missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
set -eu
PKGS="build-essential pkg-config libelf-dev libjansson-dev libcmocka-dev clang llvm \
libclang-rt-dev python3 python3-jsonschema jq scdoc zip unzip man-db groff-base \
zlib1g-dev liblzo2-dev libsnappy-dev libzstd-dev libkdumpfile-dev makedumpfile python3-drgn"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
