#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The ctypes module over libpasid: errors become pasid.Error with the
library's status and message; build -> from_memory -> walk -> decode gives
back the spec's values; a stream table leads to the guest dump's CDs."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "python"))
import pasid  # noqa: E402

SPEC = {"tables": [{"format": "smmuv3-cd", "layout": "linear", "base": "0x80000000",
                    "ssid_bits": 2, "entries": [
                        {"ssid": 0, "fields": {"asid": 7, "ttb0": "0x90000000"}},
                        {"ssid": 3, "fields": {"asid": 9, "ttb0": "0x90004000",
                                               "tg0": "reserved"}}]}]}


class TestPasid(unittest.TestCase):
    def test_version_is_the_programs(self):
        with open(os.path.join(REPO, "VERSION")) as f:
            self.assertEqual(pasid.version(), f.read().strip())

    def test_missing_file_raises_with_the_reason(self):
        with self.assertRaises(pasid.Error) as cm:
            pasid.Source.open("/nonexistent/pasid.bin")
        self.assertEqual(cm.exception.code, pasid.ERR_INPUT)
        self.assertIn("/nonexistent/pasid.bin", str(cm.exception))
        self.assertIn("[SRC-UNREADABLE]", str(cm.exception))

    def test_bad_arguments_raise(self):
        base, img = pasid.build(SPEC)
        with pasid.Source.from_memory(img, base) as src:
            with self.assertRaises(pasid.Error) as cm:
                src.table("smmuv3-cdx", base, 2)
            self.assertEqual(cm.exception.code, pasid.ERR_ARG)
            with self.assertRaises(pasid.Error) as cm:
                src.table("smmuv3-cd", base + len(img), 0)
            self.assertEqual(cm.exception.code, pasid.ERR_INPUT)
            with src.table("smmuv3-cd", base, 2) as t:
                with self.assertRaises(pasid.Error):
                    t.entry(4)
                self.assertEqual(t.entry(3)["ssid"], 3)
        with self.assertRaises(pasid.Error) as cm:
            pasid.build("{")
        self.assertEqual(cm.exception.code, pasid.ERR_INPUT)

    def test_round_trip(self):
        base, img = pasid.build(SPEC)
        self.assertEqual((base, len(img)), (0x80000000, 4 * 64))
        with pasid.Source.from_memory(img, base) as src, src.table("smmuv3-cd", base, 2) as t:
            self.assertEqual(src.kind, "raw")
            self.assertEqual(src.read(base + 8, 8), img[8:16])
            self.assertEqual(t.header()["ssid_bits"], 2)
            entries = t.walk()
            self.assertEqual([e["ssid"] for e in entries], [0, 3])
            self.assertEqual([e["fields"]["asid"] for e in entries], [7, 9])
            self.assertEqual(entries[1]["fields"]["ttb0"], "0x90004000")
            self.assertEqual(len(t.walk(all_entries=True)), 4)
            again = {"tables": [dict(t.header(), entries=entries)]}
            self.assertEqual(pasid.build(again), (base, img))
            rules = [(f.rule, f.ssid, f.severity, f.field) for f in t.validate()]
            self.assertIn(("CD-TG0-RESERVED", 3, "error", "tg0"), rules)

    def test_segments(self):
        with pasid.Source.from_segments([(0x1000, b"\1" * 8), (0x1008, b"\2" * 8)]) as src:
            self.assertEqual(src.read(0x1006, 4), b"\1\1\2\2")
        with self.assertRaises(pasid.Error) as cm:
            pasid.Source.from_segments([(0x1000, b"\1" * 8), (0x1007, b"\2" * 8)])
        self.assertIn("SRC-OVERLAP", str(cm.exception))

    def test_guest_dump_stream_table(self):
        dump = os.path.join(REPO, "testdata", "dumps", "guest.elf")
        with pasid.Source.open(dump) as src, src.strtab(0x4836d000, 0x10210) as st:
            self.assertEqual(src.kind, "elf")
            # What QEMU reported for that boot (testdata/dumps/README).
            for sid, ctx, asid, ttb0 in ((8, 0x48330000, 1, 0x48326000),
                                         (16, 0x43329000, 3, 0x4332a000),
                                         (256, 0x4837f000, 2, 0x4837e000)):
                with st.cd_table(sid) as cds:
                    self.assertEqual(int(cds.header()["base"], 16), ctx)
                    cd = cds.entry(0)["fields"]
                    self.assertEqual((cd["asid"], int(cd["ttb0"], 16)), (asid, ttb0))
            with self.assertRaises(pasid.Error) as cm:
                st.cd_table(9)
            self.assertIn("no CD table", str(cm.exception))
            found = st.validate("qemu")
            self.assertEqual([f for f in found if f.severity == "error"], [])


if __name__ == "__main__":
    unittest.main()
