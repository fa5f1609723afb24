#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden tests of the Intel VT-d scalable-mode PASID format (--format
# vtd-pasid) on the samples in testdata/vtd: build from the specs, decode and
# validate in text and JSON, decode --json | build byte for byte, the VT-d
# --caps, and hostile images.
. tests/cli/tap.sh
dir=testdata/vtd
V="--format vtd-pasid"

golden_cases "$dir"

lin="$dir/linux.bin"
L="$V --base 0x10000000 --ssid-bits 13"

# The table is what the JSON says it is.
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$lin" $L --json > "$TMP/lin.json"
check "JSON names the format and the 2lvl layout" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["tables"][0]
assert t["format"] == "vtd-pasid" and t["layout"] == "2lvl" and t["ssid_bits"] == 13, t
e = {x["ssid"]: x for x in t["entries"]}
assert e[0]["fields"]["pgtt"] == 2 and e[0]["fields"]["slptptr"] == "0x20000000", e[0]
assert e[6463]["address"] == "0x10002fc0", e[6463]
assert len(e[1]["raw"]) == 8
assert [d["index"] for d in t["l1"]] == [0, 1, 100]
' "$TMP/lin.json"

# PASID selection: PASID[19:6] picks the directory entry, PASID[5:0] the entry.
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$lin" $L --ssid 6401 > "$TMP/one.txt"
check "--ssid 6401 is entry 1 of the table of directory entry 100" \
	grep -q '^ssid 6401 @ 0x10002040: valid, asid 0x4$' "$TMP/one.txt"
# shellcheck disable=SC2086
status "--ssid behind a directory entry with P = 0 is an error" 1 "$PASIDTOOL" validate "$lin" $L --ssid 64
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$lin" $L --ssid 64 > "$TMP/pde.txt"
check "and it is VTD-PDE-NOT-PRESENT at directory entry 1" grep -q '0x10000008: error: ssid 64: .*\[VTD-PDE-NOT-PRESENT\]' "$TMP/pde.txt"
# shellcheck disable=SC2086
status "--ssid on a PASID entry with P = 0 is an error" 1 "$PASIDTOOL" validate "$lin" $L --ssid 3
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$lin" $L --ssid 3 > "$TMP/pe.txt"
check "VTD-PE-NOT-PRESENT says FPD and the fault reason" \
	grep -q 'ssid 3: P = 0 (FPD = 1): fault reason 0x59 (SPT.2).*\[VTD-PE-NOT-PRESENT\]' "$TMP/pe.txt"
# shellcheck disable=SC2086
status "--ssid on an entry without SRE: a note, exit 0" 0 "$PASIDTOOL" validate "$lin" $L --ssid 2
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$lin" $L --ssid 2 > "$TMP/sre.txt"
check "the note is VTD-PE-SRE with 0x5D" grep -q 'note: ssid 2: SRE = 0: .*0x5D.*\[VTD-PE-SRE\]' "$TMP/sre.txt"

# --caps for VT-d: profiles, CAP/ECAP register values, named fields.
# CAP 0x6 << 8 (SAGAW 39+48) | 47 << 16 (MGAW 48) | ND 6; ECAP FLTS (47) only.
# shellcheck disable=SC2086
status "caps from registers without SLTS refuse second-stage PASID 0" 1 \
	"$PASIDTOOL" validate "$lin" $L --caps cap=0x2f0606,ecap=0x800000000000
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$lin" $L --caps cap=0x2f0606,ecap=0x800000000000 > "$TMP/reg.txt"
check "ssid 0 second-stage is unsupported there" \
	grep -q 'ssid 0: PGTT = 2 (second-stage) is not supported' "$TMP/reg.txt"
check "and SRE without ECAP.SRS is a reserved field" \
	grep -q 'ssid 1: SRE is set.*\[VTD-PE-RSVD-FEATURE\]' "$TMP/reg.txt"
# shellcheck disable=SC2086
status "caps fields on top of a profile" 0 "$PASIDTOOL" validate "$dir/qemu.bin" $L --caps qemu,flts=1,sagaw=6,nest=1,mgaw=48
# shellcheck disable=SC2086
status "an SMMU caps key is a usage error for vtd-pasid" 2 "$PASIDTOOL" validate "$lin" $L --caps oas=48
# shellcheck disable=SC2086
status "an unknown VT-d profile is a usage error" 2 "$PASIDTOOL" validate "$lin" $L --caps skylake

# --format: the list comes from the registered formats.
status "unknown --format is a usage error" 2 "$PASIDTOOL" decode "$lin" --format vtd-pasd --ssid-bits 13
"$PASIDTOOL" decode "$lin" --format vtd-pasd --ssid-bits 13 2> "$TMP/fmt.txt"
check "and it suggests the near name" grep -q "did you mean 'vtd-pasid'" "$TMP/fmt.txt"
check "and lists the formats" grep -q '(smmuv3-cd, vtd-pasid)' "$TMP/fmt.txt"
status "a stream table is not a --format" 2 "$PASIDTOOL" decode "$lin" --format smmuv3-strtab --ssid-bits 13
status "an SMMU layout is not a vtd-pasid layout" 2 "$PASIDTOOL" decode "$lin" $V --layout 2lvl-4k --ssid-bits 13
"$PASIDTOOL" decode "$lin" $V --layout 2lvl-4 --ssid-bits 13 2> "$TMP/lay.txt"
check "the layout error lists the format's layouts" grep -q 'unknown vtd-pasid layout (2lvl)' "$TMP/lay.txt"
status "--format with --ste is a usage error" 2 "$PASIDTOOL" decode "$lin" $V --ste 0x10000000
status "a 2-level table needs --ssid-bits" 2 "$PASIDTOOL" decode "$lin" $V
"$PASIDTOOL" decode testdata/cd/linear.bin --base 0x80000000 --ssid-bits 4 > "$TMP/cd.txt"
check "without --format the table is still an SMMUv3 CD table" grep -q '^smmuv3-cd table @ 0x80000000: linear' "$TMP/cd.txt"
"$PASIDTOOL" decode testdata/cd/linear.bin --format smmuv3-cd --base 0x80000000 --ssid-bits 4 > "$TMP/cd2.txt"
check "--format smmuv3-cd is the default" cmp "$TMP/cd.txt" "$TMP/cd2.txt"

# The format is listed and documented like every other.
"$PASIDTOOL" formats > "$TMP/formats.txt"
check "formats lists vtd-pasid" grep -q '^vtd-pasid: Intel VT-d' "$TMP/formats.txt"
"$PASIDTOOL" rules > "$TMP/rules.txt"
check "rules lists the VTD-* rules" grep -q 'VTD-PE-PGTT-RESERVED' "$TMP/rules.txt"
check "docs/rules.md explains them" grep -q 'VTD-PDE-RSVD' docs/rules.md

# Build: the short hand-written form takes Linux's first-stage defaults.
printf '{"tables": [{"format": "vtd-pasid", "base": "0x2000", "ssid_bits": 13, "entries": [{"ssid": 70, "fields": {"did": 9, "flptptr": "0x9000"}}]}]}' > "$TMP/short.json"
"$PASIDTOOL" build "$TMP/short.json" -o "$TMP/short.bin"
"$PASIDTOOL" decode "$TMP/short.bin" $V --base 0x2000 --ssid-bits 13 > "$TMP/short.txt"
check "a hand-written entry gets P, PGTT first-stage, AW 48-bit, PWSNP" \
	grep -q 'P=1 FPD=0 AW=48bit(2) PGTT=first-stage(1) DID=0x9 PWSNP=1 FLPTPTR=0x9000' "$TMP/short.txt"
check "its directory entry and table were placed for it" grep -q '^l1\[1\] @ 0x2008: P=1 FPD=0 SMPTBLPTR=0x3000' "$TMP/short.txt"
status "the short form validates clean" 0 "$PASIDTOOL" validate "$TMP/short.bin" $V --base 0x2000 --ssid-bits 13
printf '{"tables": [{"format": "vtd-pasid", "base": "0x2000", "ssid_bits": 13, "entries": [{"ssid": 1, "fields": {"asid": 9}}]}]}' > "$TMP/bad.json"
status "a CD field in a vtd-pasid spec is refused" 2 "$PASIDTOOL" build "$TMP/bad.json" -o "$TMP/bad.bin"
printf '{"tables": [{"format": "vtd-pasid", "base": "0x2000", "ssid_bits": 13, "entries": [{"ssid": 1, "fields": {"pgtt": 8}}]}]}' > "$TMP/bad2.json"
status "a value wider than its field is refused" 2 "$PASIDTOOL" build "$TMP/bad2.json" -o "$TMP/bad2.bin"

# The committed outputs and specs match the documented schemas.
schema_check() {
	python3 - "$@" <<'EOF'
import glob, json, sys
from jsonschema import Draft202012Validator
store = {s["$id"]: s for s in (json.load(open(p)) for p in glob.glob("docs/schema/*.json"))}
schema = json.load(open("docs/schema/" + sys.argv[1]))
try:
    from referencing import Registry, Resource
    reg = Registry().with_resources([(k, Resource.from_contents(v)) for k, v in store.items()])
    v = Draft202012Validator(schema, registry=reg)
except ImportError:
    from jsonschema import RefResolver
    v = Draft202012Validator(schema, resolver=RefResolver.from_schema(schema, store=store))
errs = [(p, e.message[:200]) for p in sys.argv[2:] for e in v.iter_errors(json.load(open(p)))]
for p, m in errs[:20]:
    print(p, m)
sys.exit(1 if errs else 0)
EOF
}
check "decode --json of the VT-d samples matches schema/decode.json" schema_check decode.json "$dir"/*.decode.json
check "validate --json of the VT-d samples matches schema/validate.json" schema_check validate.json "$dir"/*.validate.json
check "the VT-d specs match schema/build-spec.json" schema_check build-spec.json "$dir"/linux.json "$dir"/faults.json "$dir"/qemu.json

# Hostile images: findings or exit 2, never a crash.
# A present directory entry whose PASID table is not in the image.
printf '\001\000\000\200\000\000\000\000' > "$TMP/far.bin"
head -c 1016 /dev/zero >> "$TMP/far.bin"
status "PASID table outside the image: exit 1" 1 "$PASIDTOOL" validate "$TMP/far.bin" $V --ssid-bits 13
"$PASIDTOOL" validate "$TMP/far.bin" $V --ssid-bits 13 > "$TMP/far.txt"
check "it is TABLE-UNMAPPED" grep -q 'TABLE-UNMAPPED' "$TMP/far.txt"
check "with the VT-d fault reason as a note (VTD-PE-READ, 0x58)" grep -q 'note: l1\[0\]: .*0x58.*\[VTD-PE-READ\]' "$TMP/far.txt"
status "a directory of 20 PASID bits over 1 KiB" 1 "$PASIDTOOL" validate "$TMP/far.bin" $V --ssid-bits 20
"$PASIDTOOL" validate "$TMP/far.bin" $V --ssid-bits 20 > "$TMP/big.txt"
check "says the directory is not all there (VTD-PDE-READ)" grep -q 'VTD-PDE-READ' "$TMP/big.txt"
head -c 8192 /dev/zero | tr '\0' '\377' > "$TMP/ones.bin"
status "all-ones image decodes" 0 "$PASIDTOOL" decode "$TMP/ones.bin" $V --ssid-bits 13
status "all-ones image validates with findings" 1 "$PASIDTOOL" validate "$TMP/ones.bin" $V --ssid-bits 13
"$PASIDTOOL" validate "$TMP/ones.bin" $V --ssid-bits 13 > "$TMP/ones.txt"
check "all-ones directory entries have reserved bits" grep -q 'VTD-PDE-RSVD' "$TMP/ones.txt"
# Directory entry 0 -> PASID table at 0x1000, its own directory's page.
printf '\001\020\000\000\000\000\000\000' > "$TMP/self.bin"
head -c 8184 /dev/zero >> "$TMP/self.bin"
status "directory entry pointing at the directory" 1 "$PASIDTOOL" validate "$TMP/self.bin" $V --base 0x1000 --ssid-bits 13
"$PASIDTOOL" validate "$TMP/self.bin" $V --base 0x1000 --ssid-bits 13 > "$TMP/self.txt"
check "gives TABLE-LEAF-OVERLAP" grep -q 'TABLE-LEAF-OVERLAP' "$TMP/self.txt"
status "an unaligned directory is an error" 1 "$PASIDTOOL" validate "$TMP/self.bin" $V --base 0x1000 --cd-table 0x1400 --ssid-bits 13
"$PASIDTOOL" validate "$TMP/self.bin" $V --base 0x1000 --cd-table 0x1400 --ssid-bits 13 > "$TMP/align.txt"
check "VTD-DIR-ALIGN" grep -q 'VTD-DIR-ALIGN' "$TMP/align.txt"
"$PASIDTOOL" validate "$lin" $V --base 0x10000000 --ssid-bits 12 > "$TMP/pdts.txt"
check "12 PASID bits is no PDTS (VTD-DIR-PDTS)" grep -q 'warning: .*12 SSID bits.*\[VTD-DIR-PDTS\]' "$TMP/pdts.txt"
: > "$TMP/empty.bin"
status "empty image" 2 "$PASIDTOOL" decode "$TMP/empty.bin" $V --ssid-bits 13

done_testing
