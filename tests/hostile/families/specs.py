# SPDX-License-Identifier: GPL-2.0-or-later
"""Build specs (build, attach build): malformed JSON, wrong types, numbers
at their limits, overlapping tables; outputs go to a fresh path."""
import json

GOOD = {"tables": [{"layout": "2lvl-4k", "base": "0x80000000", "ssid_bits": 8,
                    "entries": [{"ssid": 1, "fields": {"asid": 1, "ttb0": "0x81000000"}}]}]}
NUMBERS = [0, 1, 8, 19, 20, 21, 32, 63, 64, 65, -1, "0x", "010", "0x1_0", 1.5, True, None,
           "18446744073709551615", "18446744073709551616", "0xffffffffffffffff", [], {}]
BROKEN_JSON = ["", "{", "[]", "null", "1", '"x"', '{"tables": []}', '{"tables": {}}',
               '{"tables": [null]}', '{"tables": [1]}', '{"a": 1, "a": 2}',
               "[" * 5000 + "]" * 5000, '{"tables": [' + "{}," * 300 + "{}]}",
               '{"tables": [{"entries": "x"}]}', "\xff\xfe", '{"tables": [{"layout": "x"}]}']


def mutate(spec, path, value):
    s = json.loads(json.dumps(spec))
    t = s
    for k in path[:-1]:
        t = t[k]
    t[path[-1]] = value
    return s


def generate(c):
    out, req = c.path("out.bin"), c.path("req.bin")
    absent = [c.path(".out.bin.*"), c.path(".req.bin.*")]

    def build(name, text, extra=(), status=(0, 1, 2)):
        p = c.text(name + ".json", text)
        c.case("build " + name, ["build", p, "-o", out] + list(extra), status=status,
               outputs=[out, req], absent=absent)

    for i, t in enumerate(BROKEN_JSON):
        build("broken-%d" % i, t, status=(2,))
    paths = [("tables", 0, "base"), ("tables", 0, "ssid_bits"), ("tables", 0, "layout"),
             ("tables", 0, "entries", 0, "ssid"), ("tables", 0, "entries", 0, "fields", "asid"),
             ("tables", 0, "entries", 0, "fields", "ttb0"),
             ("tables", 0, "entries", 0, "fields", "tg0")]
    for p in paths:
        for j, v in enumerate(NUMBERS):
            # 2^20-SSID tables are 64 MiB: keep the corpus small and fast.
            if p[-1] == "ssid_bits" and isinstance(v, int) and not isinstance(v, bool) and v >= 16:
                continue
            build("%s=%s" % (".".join(map(str, p[1:])), json.dumps(v)),
                  json.dumps(mutate(GOOD, p, v)), extra=["--attach-out", req]
                  if j % 3 == 0 else [])
    two = json.loads(json.dumps(GOOD))
    two["tables"].append(dict(GOOD["tables"][0]))
    build("two tables at one base", json.dumps(two), status=(2,))
    # attach build: requests of every type with fields at their limits.
    for t in ("attach", "attach_table", "detach", "map", "unmap", "probe", "invalidate", "bogus"):
        for v in (0, 1, 0xffffffff, 0x100000000, -1, "x"):
            p = c.text("req-%s-%s.json" % (t, v), json.dumps(
                {"requests": [{"type": t, "domain": v, "endpoint": v, "pasid": v}]}))
            c.case("attach build %s with %s" % (t, v), ["attach", "build", p, "-o", out],
                   outputs=[out], absent=absent)
