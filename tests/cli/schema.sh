# SPDX-License-Identifier: GPL-2.0-or-later
# JSON output against docs/schema (sourced by the CLI tests after tap.sh).

# validate_json NAME SCHEMA FILE...: every FILE matches docs/schema/SCHEMA,
# which itself must be a valid draft 2020-12 schema. Works with Debian's
# jsonschema 4.10 (RefResolver) and with 4.18+ (referencing).
validate_json() {
	vj_name=$1
	vj_schema=$2
	shift 2
	if vj_out=$(python3 - "docs/schema/$vj_schema" "$@" 2>&1 <<'EOF'
import glob, json, sys
from jsonschema import Draft202012Validator
store = {}
for path in sorted(glob.glob("docs/schema/*.json")):
    s = json.load(open(path))
    Draft202012Validator.check_schema(s)
    store[s["$id"]] = s
schema = json.load(open(sys.argv[1]))
try:
    from referencing import Registry, Resource
    reg = Registry().with_resources(
        [(k, Resource.from_contents(v)) for k, v in store.items()])
    v = Draft202012Validator(schema, registry=reg)
except ImportError:
    from jsonschema import RefResolver
    v = Draft202012Validator(schema, resolver=RefResolver.from_schema(schema, store=store))
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    for e in v.iter_errors(doc):
        bad += 1
        if bad <= 20:
            print("%s: /%s: %s" % (path, "/".join(map(str, e.absolute_path)), e.message[:200]))
sys.exit(1 if bad else 0)
EOF
	); then ok "$vj_name"; else not_ok "$vj_name" "$vj_out"; fi
}
