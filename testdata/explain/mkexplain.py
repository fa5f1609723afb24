#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the queues that go with testdata/strtab/linear.bin (its stream
table at 0x90000000): a command queue whose history is what Linux issues
for those streams, and an event queue with one event of each kind the
linear table explains, placed at 0x98000000; and the same events as a
kernel log (dmesg prefixes, raw and decoded forms). Prints the register
values. Bit positions from IHI 0070 G.b / Linux EVTQ_* and CMDQ_*."""
import struct
import sys

BASE = 0x98000000
CMDQ, CMDQ_LOG2 = BASE, 5          # 32 commands
EVTQ, EVTQ_LOG2 = BASE + 0x1000, 3  # 8 events
img = bytearray(0x2000)


def put(addr, *words):
    struct.pack_into("<%dQ" % len(words), img, addr - BASE, *words)


def sync(slot):
    return (0x46 | 1 << 12 | 3 << 22 | 0xF << 24, CMDQ + 16 * slot)


cmds = [
    (0x04, 31),                                   # CFGI_ALL at reset
    (0, CMDQ + 16 * 1),                           # SYNC, zeroed by its MSI
    (0x03 | 0 << 32, 1),                          # CFGI_STE sid 0
    (0, CMDQ + 16 * 3),
    (0x05 | 0 << 12 | 0 << 32, 1),                # CFGI_CD sid 0 ssid 0
    (0, CMDQ + 16 * 5),
    (0x12 | 5 << 48, 1 | 0x1000),                 # TLBI_NH_VA asid 5 0x1000 (unmap)
    (0, CMDQ + 16 * 7),
    (0x03 | 2 << 32, 1),                          # CFGI_STE sid 2
    (0, CMDQ + 16 * 9),
    (0x11 | 6 << 48, 0),                          # TLBI_NH_ASID asid 6
    (0, CMDQ + 16 * 11),
    (0x05 | 1 << 12 | 1 << 32, 1),                # CFGI_CD sid 1 ssid 1
    (0, CMDQ + 16 * 13),
    (0x03 | 1 << 32, 1),                          # CFGI_STE sid 1
    sync(15),                                     # last SYNC, not yet completed
]
for i, c in enumerate(cmds):
    put(CMDQ + 16 * i, *c)


def evt(eid, sid, ssid=0, ssv=0, d1=0, d2=0, d3=0):
    return (eid | ssv << 11 | ssid << 12 | sid << 32, d1, d2, d3)


events = [
    evt(0x10, 0, d1=1 << 35 | 2 << 40, d2=0x1000),    # read of 0x1000, sid 0
    evt(0x04, 2),                                     # C_BAD_STE: S1STALLD on no-stall SMMU
    evt(0x0A, 1),                                     # C_BAD_CD: CD 0 of sid 1 V=0
    evt(0x08, 1, ssid=9),                             # C_BAD_SUBSTREAMID: 9 >= 4
    evt(0x09, 5, d3=0xdead0000),                      # F_CD_FETCH outside the dump
    evt(0x02, 0x20),                                  # C_BAD_STREAMID: 0x20 >= 16
]
for i, e in enumerate(events):
    put(EVTQ + 32 * i, *e)

open(sys.argv[1], "wb").write(img)
with open(sys.argv[2], "w") as log:
    t = 100.0
    for i, e in enumerate(events):
        if i % 2 == 0:
            pfx = "[%12.6f] arm-smmu-v3 arm-smmu-v3.0.auto: " % t
            log.write(pfx + "event 0x%02x received:\n" % (e[0] & 0xFF))
            for w in e:
                log.write(pfx + "\t0x%016x\n" % w)
        else:
            pfx = "Nov 29 04:%02d:00 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: " % i
            names = {0x04: "C_BAD_STE", 0x08: "C_BAD_SUBSTREAMID", 0x02: "C_BAD_STREAMID"}
            log.write(pfx + "event: %s client: 0000:00:0%d.0 sid: %#x ssid: %#x\n"
                      % (names[e[0] & 0xFF], i, e[0] >> 32, (e[0] >> 12) & 0xFFFFF))
        log.write("[%12.6f] e1000e 0000:00:02.0: unrelated message\n" % (t + 0.5))
        t += 1
print("testdata/strtab/linear.bin@0x90000000 testdata/explain/queues.bin@0x%x "
      "--strtab 0x90000000 --strtab-cfg 4 --caps generic,stall-model=1,cd2l=0 "
      "--cmdq 0x%x --cmdq-prod 16 --cmdq-cons 15" % (BASE, CMDQ | CMDQ_LOG2))
print("--evtq 0x%x --evtq-prod 6 --evtq-cons 0" % (EVTQ | EVTQ_LOG2))
