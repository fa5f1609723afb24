#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real guest as the reference: boot Debian 12's arm64 cloud kernel under
# qemu-system-aarch64 -M virt,iommu=smmuv3, let an NVMe device behind the
# SMMU do DMA, record what QEMU's SMMUv3 model decoded (its trace events and
# its 'xp' monitor command), take a dump-guest-memory ELF over QMP, and check
# that pasidtool decodes the same stream table, STEs, CDs, ASIDs and TTB0
# from the dump. See docs/qemu-guest.md.
#
# usage: tests/qemu/run.sh [--pasidtool PATH] [--work DIR] [--update] [--keep]
#   --update   also refresh testdata/dumps/guest.elf and expected.json
#   --keep     keep the 512 MiB dump in the work directory
# Exit: 0 all checks passed, 1 a check failed, 2 setup failed (packages,
# boot, QMP), 77 missing packages and not root (nothing was run).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PASIDTOOL=${PASIDTOOL:-$top/build/rel/pasidtool}
WORK=${QEMU_WORK:-$top/build/qemu}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-900}
update=0
keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--pasidtool) PASIDTOOL=$2; shift 2 ;;
	--work) WORK=$2; shift 2 ;;
	--update) update=1; shift ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,15p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
case $PASIDTOOL in /*) ;; *) PASIDTOOL=$PWD/$PASIDTOOL ;; esac
say() { printf 'qemu-ref: %s\n' "$*"; }
die() { printf 'qemu-ref: error: %s\n' "$*" >&2; exit 2; }
[ -x "$PASIDTOOL" ] || die "no pasidtool at $PASIDTOOL (run make first)"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# ---------------------------------------------------------------- packages
export DEBIAN_FRONTEND=noninteractive
is_root() { [ "$(id -u)" -eq 0 ]; }
need_root() {
	if ! is_root; then
		echo "qemu-ref: missing: $1; as root run:" >&2
		echo "  $2" >&2
		exit 77
	fi
}
apt_updated=0
apt_update() {
	[ $apt_updated -eq 1 ] && return 0
	say "apt-get update"
	apt-get update -qq >/dev/null || die "apt-get update failed"
	apt_updated=1
}
# candidate PKG: the version apt would fetch, empty when the archive lacks it.
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)' || true; }

for tool in python3:python3 qemu-system-aarch64:qemu-system-arm; do
	cmd=${tool%%:*} pkg=${tool#*:}
	command -v "$cmd" >/dev/null 2>&1 && continue
	need_root "$cmd" "apt-get update && apt-get install -y --no-install-recommends $pkg"
	[ -n "$(candidate "$pkg")" ] || apt_update
	[ -n "$(candidate "$pkg")" ] || die "the archive has no $pkg ($(apt-cache search --names-only qemu-system | head -n 5 | tr '\n' ';'))"
	say "installing $pkg"
	apt-get install -y -qq --no-install-recommends "$pkg" >"$WORK/apt.log" 2>&1 ||
		{ tail -n 20 "$WORK/apt.log" >&2; die "apt-get install $pkg failed"; }
done
QEMU=$(command -v qemu-system-aarch64)

# The guest: Debian's arm64 cloud kernel (arm-smmu-v3 and NVMe built in) and
# a static busybox. Downloaded with apt-get download and unpacked with
# dpkg-deb -x into $WORK/root; nothing is installed on the host.
ROOT=$WORK/root
if ! ls "$ROOT"/boot/vmlinuz-* >/dev/null 2>&1 || [ ! -x "$ROOT/bin/busybox" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		need_root "the arm64 architecture in dpkg" "dpkg --add-architecture arm64 && apt-get update"
		say "dpkg --add-architecture arm64"
		dpkg --add-architecture arm64
		apt_updated=0
		apt_update
	fi
	if [ -z "$(candidate linux-image-cloud-arm64:arm64)" ]; then
		need_root "arm64 package lists" "apt-get update"
		apt_update
	fi
	kpkg=$(apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-cloud-arm64\).*/\1/p' | head -n 1)
	if [ -z "$kpkg" ]; then
		die "no linux-image-cloud-arm64:arm64 in the archive; candidates: $(apt-cache search --names-only 'linux-image-.*-cloud-arm64' | head -n 5 | tr '\n' ';')"
	fi
	[ -n "$(candidate busybox-static:arm64)" ] || die "no busybox-static:arm64 in the archive"
	mkdir -p "$WORK/debs"
	say "apt-get download ${kpkg%:arm64}:arm64 busybox-static:arm64"
	# _apt cannot write into root-owned work dirs: download to a temp dir it can.
	dl=$(mktemp -d)
	chmod 0777 "$dl"
	(cd "$dl" && apt-get download -qq "${kpkg%:arm64}:arm64" busybox-static:arm64 2>/dev/null) ||
		die "apt-get download failed"
	mv "$dl"/*.deb "$WORK/debs/" && rmdir "$dl"
	rm -rf "$ROOT" && mkdir -p "$ROOT"
	for d in "$WORK"/debs/*.deb; do dpkg-deb -x "$d" "$ROOT"; done
fi
KERNEL=$(ls "$ROOT"/boot/vmlinuz-* | head -n 1)
KCONFIG=$(ls "$ROOT"/boot/config-* | head -n 1)
for opt in CONFIG_ARM_SMMU_V3 CONFIG_BLK_DEV_NVME CONFIG_PCI_HOST_GENERIC CONFIG_SERIAL_AMBA_PL011_CONSOLE CONFIG_BLK_DEV_INITRD CONFIG_DEVTMPFS; do
	grep -qx "$opt=y" "$KCONFIG" || die "$(basename "$KCONFIG") lacks $opt=y; the guest needs it built in"
done
kver=$(basename "$KERNEL" | sed 's/^vmlinuz-//')
kdeb=$(ls "$WORK"/debs/linux-image-*.deb 2>/dev/null | head -n 1)
kpkgver="$(dpkg-deb -f "$kdeb" Package 2>/dev/null || echo "$kver") $(dpkg-deb -f "$kdeb" Version 2>/dev/null)"
say "kernel $kver ($kpkgver): CONFIG_ARM_SMMU_V3=y, CONFIG_BLK_DEV_NVME=y"

# ---------------------------------------------------------------- the guest
python3 "$here/mkcpio.py" "$WORK/initrd.gz" dev=dir dev/console=chr:5:1 \
	bin=dir bin/busybox="$ROOT/bin/busybox" init="$here/init" proc=dir sys=dir
python3 - "$WORK/disk0.img" "$WORK/disk1.img" <<'EOF'
import sys
for path in sys.argv[1:]:
    d = bytearray(1 << 20)
    m = b"PASIDTOOL-DISK-MAGIC-0123456789"
    d[:len(m)] = m
    open(path, "wb").write(d)
EOF

rm -f "$WORK/qmp.sock" "$WORK/trace.log" "$WORK/console.log" "$WORK/guest-full.elf" \
	"$WORK"/guest-*.kd "$WORK"/guest-*.kd.refused
say "booting: $($QEMU --version | head -n 1)"
t0=$(date +%s.%N)
# -nodefaults: no default NIC or display, so the two NVMe controllers are the
# only devices that do DMA: nvme0 at 00:01.0 (StreamID 0x8, level-1 index 0)
# and nvme1 at 01:00.0 behind a root port (StreamID 0x100, level-1 index 1). The trace records every SMMUv3 decode and register
# write; 'smmuv3_read_mmio' is on as well, the driver polls only a few times.
"$QEMU" -M virt,iommu=smmuv3 -cpu max -accel tcg -smp 1 -m 512M \
	-nographic -nodefaults -serial stdio -no-reboot \
	-kernel "$KERNEL" -initrd "$WORK/initrd.gz" \
	-append 'console=ttyAMA0 rdinit=/init panic=-1' \
	-drive file="$WORK/disk0.img",if=none,format=raw,id=d0 \
	-device nvme,serial=pasidtool0,drive=d0,bus=pcie.0,addr=0x1 \
	-device pcie-root-port,id=rp1,chassis=1,bus=pcie.0,addr=0x2 \
	-drive file="$WORK/disk1.img",if=none,format=raw,id=d1 \
	-device nvme,serial=pasidtool1,drive=d1,bus=rp1 \
	-qmp unix:"$WORK/qmp.sock",server=on,wait=off \
	-trace 'smmuv3_*' -trace 'smmu_*' -D "$WORK/trace.log" \
	</dev/null >"$WORK/console.log" 2>&1 &
qpid=$!
cleanup() { kill "$qpid" 2>/dev/null || true; }
trap cleanup EXIT

if ! python3 "$here/qemu_ref.py" wait-console "$WORK/console.log" "pasidtool-guest: READY" "$BOOT_TIMEOUT"; then
	tail -n 30 "$WORK/console.log" >&2
	die "the guest did not get ready within ${BOOT_TIMEOUT}s"
fi
t1=$(date +%s.%N)
boot=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$t1")
say "guest ready after ${boot}s"
grep '^pasidtool-guest:' "$WORK/console.log" | sed 's/^/  /'

python3 "$here/qemu_ref.py" snapshot --qmp "$WORK/qmp.sock" --trace "$WORK/trace.log" \
	--dump "$WORK/guest-full.elf" --expected "$WORK/expected.json" \
	--meta "kernel=$kpkgver" --meta "machine=virt,iommu=smmuv3 -cpu max -accel tcg -m 512M" \
	--meta "dma_devices=nvme 00:01.0, nvme 01:00.0 behind pcie-root-port 00:02.0" \
	--kdump "kdump-zlib:$WORK/guest-zlib.kd" --kdump "kdump-lzo:$WORK/guest-lzo.kd" \
	--kdump "kdump-snappy:$WORK/guest-snappy.kd" || die "QMP snapshot failed"
wait "$qpid" || true
trap - EXIT
dsize=$(stat -c %s "$WORK/guest-full.elf")
say "dump: $WORK/guest-full.elf, $dsize bytes"

# ---------------------------------------------------------------- checks
fail=0
for n in 0 1; do
	if grep -q 'pasidtool guest wrote this via DMA' "$WORK/disk$n.img"; then
		say "ok: the guest's write through nvme$n reached disk$n.img"
	else
		say "FAIL: the guest's write through nvme$n is not in disk$n.img"; fail=1
	fi
done

exp=$WORK/expected.json
# One decode per line of --args: the stream table (all of it) once pasidtool
# has --strtab, else one CD table per StreamID QEMU used.
python3 "$here/compare.py" --args "$exp" --pasidtool "$PASIDTOOL" > "$WORK/decode.args"
ndec=$(wc -l < "$WORK/decode.args")
cmpopt=
grep -q -- '--strtab' "$WORK/decode.args" || { cmpopt=--cd-only; say "this pasidtool has no --strtab: comparing CDs only"; }
n=0
rm -f "$WORK"/decode-*.json "$WORK"/guest-cut-*.elf
while IFS= read -r args; do
	n=$((n + 1))
	say "decode: pasidtool decode guest-full.elf $args"
	# shellcheck disable=SC2086
	"$PASIDTOOL" decode "$WORK/guest-full.elf" $args > "$WORK/decode-$n.txt" 2>&1 || true
	# shellcheck disable=SC2086
	"$PASIDTOOL" decode "$WORK/guest-full.elf" $args --json \
		> "$WORK/decode-full-$n.json" 2>"$WORK/decode-full-$n.err" || true
	# The cut holds what validate --page-tables reads: the stream table,
	# STEs, CD tables and CDs decode reads, and every page table they
	# reach, so that translate and maps work on the cut too.
	# shellcheck disable=SC2086
	"$PASIDTOOL" validate "$WORK/guest-full.elf" $args --page-tables \
		--save-pages "$WORK/guest-cut-$n.elf" > "$WORK/validate-pt-$n.txt" 2>&1 || true
	# The cut dump must decode to the same entries.
	if [ -s "$WORK/guest-cut-$n.elf" ]; then
		ssize=$(stat -c %s "$WORK/guest-cut-$n.elf")
		# shellcheck disable=SC2086
		"$PASIDTOOL" decode "$WORK/guest-cut-$n.elf" $args --json > "$WORK/decode-cut-$n.json" 2>/dev/null || true
		if python3 "$here/compare.py" --same-tables "$WORK/decode-full-$n.json" "$WORK/decode-cut-$n.json"; then
			say "ok: the ${ssize}-byte cut dump decodes like the full one"
		else
			say "FAIL: the cut dump decodes differently"; fail=1
		fi
	else
		say "FAIL: --save-pages wrote nothing"; fail=1
	fi
	# Every STE and CD under the SMMU QEMU emulated: its ID registers as
	# decoded here, as raw values pasidtool decodes (--caps idr0=...), and
	# as a --regs file; no error in any.
	idrcaps=$(python3 "$here/compare.py" --idr-caps "$exp")
	python3 "$here/compare.py" --regs "$exp" > "$WORK/regs.txt"
	for caps in "$(python3 "$here/compare.py" --caps "$exp")" "$idrcaps" "qemu,$idrcaps"; do
		# shellcheck disable=SC2086
		if "$PASIDTOOL" validate "$WORK/guest-full.elf" $args --caps "$caps" > "$WORK/validate-$n.txt" 2>&1; then
			say "ok: validate --caps $caps: no errors"
		else
			say "FAIL: validate --caps $caps:"; sed 's/^/  /' "$WORK/validate-$n.txt" | head -n 20; fail=1
		fi
	done
	# shellcheck disable=SC2086
	if "$PASIDTOOL" validate "$WORK/guest-full.elf" $args --regs "$WORK/regs.txt" > "$WORK/validate-$n.txt" 2>&1; then
		say "ok: validate --regs (the guest's own registers): no errors"
	else
		say "FAIL: validate --regs:"; sed 's/^/  /' "$WORK/validate-$n.txt" | head -n 20; fail=1
	fi
done < "$WORK/decode.args"
# QEMU's own kdump-compressed dumps of the same stopped guest must decode
# exactly like its ELF dump (the first decode's arguments).
args1=$(head -n 1 "$WORK/decode.args")
for fmt in zlib lzo snappy; do
	kd=$WORK/guest-$fmt.kd
	if [ -s "$kd.refused" ]; then
		say "note: QEMU refused kdump-$fmt: $(cat "$kd.refused")"
		continue
	fi
	# shellcheck disable=SC2086
	"$PASIDTOOL" decode "$kd" $args1 --json > "$WORK/decode-kd-$fmt.json" 2> "$WORK/decode-kd-$fmt.err" || true
	if python3 "$here/compare.py" --same-tables "$WORK/decode-full-1.json" "$WORK/decode-kd-$fmt.json"; then
		say "ok: QEMU's kdump-$fmt dump ($(stat -c %s "$kd") bytes) decodes like its ELF dump"
	else
		say "FAIL: QEMU's kdump-$fmt dump decodes differently"
		sed 's/^/  /' "$WORK/decode-kd-$fmt.err" | head -n 10
		fail=1
	fi
done
rm -f "$WORK"/guest-*.kd

# shellcheck disable=SC2086
python3 "$here/compare.py" $cmpopt "$exp" "$WORK"/decode-full-*.json > "$WORK/compare.txt" || true
sed 's/^/  /' "$WORK/compare.txt"
grep -q '^not ok' "$WORK/compare.txt" && fail=1
grep -q '^ok' "$WORK/compare.txt" || fail=1
say "compared: $(grep -c '^ok' "$WORK/compare.txt") checks passed, $(grep -c '^not ok' "$WORK/compare.txt") failed"

# The queues (issue 12): the command history in the dump against QEMU's
# trace, command for command; the event the guest provoked against QEMU's
# record of it.
qargs=$(python3 - "$exp" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1])).get("queue_registers", {})
out = []
for q, opt in (("cmdq", "--cmdq"), ("eventq", "--evtq")):
    if all(q + s in r for s in ("_base", "_prod", "_cons")):
        out += [opt, r[q + "_base"], opt + "-prod", r[q + "_prod"], opt + "-cons", r[q + "_cons"]]
print(" ".join(out))
EOF
)
if [ -n "$qargs" ]; then
	say "queues: pasidtool queues guest-full.elf $qargs"
	"$PASIDTOOL" queues "$WORK/guest-full.elf" $qargs > "$WORK/queues.txt" 2>&1 || true
	"$PASIDTOOL" queues "$WORK/guest-full.elf" $qargs --json > "$WORK/queues.json" 2>/dev/null || true
	python3 "$here/queues_compare.py" "$WORK/trace.log" "$WORK/queues.json" > "$WORK/queues-compare.txt" || fail=1
	sed 's/^/  /' "$WORK/queues-compare.txt"
	# explain the fault the guest provoked, from the kernel log on the console
	sargs=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print("--strtab", e["strtab_base"], "--strtab-cfg", e["strtab_base_cfg"])' "$exp")
	cargs=$(echo "$qargs" | sed 's/ --evtq .*//')
	"$PASIDTOOL" explain "$WORK/guest-full.elf" $sargs $cargs --event-log "$WORK/console.log" \
		> "$WORK/explain.txt" 2>&1 || true
	"$PASIDTOOL" explain "$WORK/guest-full.elf" $sargs $cargs --event-log "$WORK/console.log" \
		--json > "$WORK/explain.json" 2>/dev/null || true
	python3 "$here/queues_compare.py" --explain "$WORK/trace.log" "$exp" "$WORK/explain.json" \
		> "$WORK/explain-compare.txt" || fail=1
	sed 's/^/  /' "$WORK/explain-compare.txt" | tail -n 8
else
	say "FAIL: no queue registers from QMP or the trace"; fail=1
fi

# translate (issue 16): every (StreamID, IOVA) QEMU translated, against the
# dump, level by level where QEMU walked; and the cut translates the same.
python3 "$here/translate_compare.py" "$PASIDTOOL" "$WORK/guest-full.elf" "$exp" "$WORK/trace.log" \
	> "$WORK/translate-compare.txt" || fail=1
sed 's/^/  /' "$WORK/translate-compare.txt" | tail -n 12
if [ -s "$WORK/guest-cut-1.elf" ]; then
	python3 "$here/translate_compare.py" "$PASIDTOOL" "$WORK/guest-cut-1.elf" "$exp" "$WORK/trace.log" \
		> "$WORK/translate-compare-cut.txt" || true
	if cmp -s "$WORK/translate-compare.txt" "$WORK/translate-compare-cut.txt"; then
		say "ok: the cut dump translates every traced IOVA like the full one"
	else
		say "FAIL: the cut dump translates differently"; fail=1
		diff "$WORK/translate-compare.txt" "$WORK/translate-compare-cut.txt" | head -n 10
	fi
fi
# scan (issue 17): no registers, only the dump; the SMMU's tables must come
# first and whole, false candidates are counted.
python3 "$here/scan_compare.py" "$PASIDTOOL" "$WORK/guest-full.elf" "$exp" \
	> "$WORK/scan-compare.txt" || fail=1
sed 's/^/  /' "$WORK/scan-compare.txt"
if grep -q 'TT-' "$WORK/validate-pt-1.txt"; then
	say "FAIL: validate --page-tables finds page-table errors in the guest's tables:"
	grep 'TT-' "$WORK/validate-pt-1.txt" | head -n 10; fail=1
else
	say "ok: validate --page-tables: $(tail -n 1 "$WORK/validate-pt-1.txt")"
fi

if [ $update -eq 1 ]; then
	if [ $fail -ne 0 ]; then
		say "not updating testdata/dumps: checks failed"
	elif [ "$ndec" -ne 1 ]; then
		say "not updating testdata/dumps: pasidtool cannot decode the stream table in one run yet"
	else
		mkdir -p "$top/testdata/dumps"
		cp "$WORK/guest-cut-1.elf" "$top/testdata/dumps/guest.elf"
		cp "$WORK/regs.txt" "$top/testdata/dumps/regs.txt"
		mkkdump=$(dirname "$PASIDTOOL")/tools/mkkdump
		if [ -x "$mkkdump" ]; then
			"$mkkdump" --method zlib "$top/testdata/dumps/guest.elf" "$top/testdata/dumps/guest.kdump"
		else
			say "testdata/dumps/guest.kdump not refreshed: build $mkkdump first"; fail=1
		fi
		python3 - "$exp" "$top/testdata/dumps/expected.json" "$boot" "$dsize" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))
e["meta"]["boot_seconds"] = float(sys.argv[3])
e["meta"]["full_dump_bytes"] = int(sys.argv[4])
with open(sys.argv[2], "w") as f:
    json.dump(e, f, indent=2)
    f.write("\n")
EOF
		python3 "$here/readme.py" "$top/testdata/dumps/README" "$top/testdata/dumps/expected.json" \
			"$(head -n 1 "$WORK/decode.args")"
		say "updated testdata/dumps/guest.elf ($(stat -c %s "$top/testdata/dumps/guest.elf") bytes), guest.kdump, regs.txt, expected.json and README"
	fi
fi
[ $keep -eq 1 ] || rm -f "$WORK/guest-full.elf"
if [ $fail -ne 0 ]; then
	say "FAILED (work dir $WORK)"
	exit 1
fi
say "all checks passed (boot ${boot}s, dump $dsize bytes)"
