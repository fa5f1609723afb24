#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write a raw image (first byte at 0x10000) holding an SMMUv3 command queue
with every opcode, an event queue with every event id and a PRI queue, and
print the register values that describe them. Bit positions are written out
here from IHI 0070 G.b and Linux's CMDQ_*/EVTQ_*/PRIQ_* masks, not read from
pasidtool's tables, so the golden output checks those tables."""
import struct
import sys

BASE = 0x10000
CMDQ, CMDQ_LOG2 = 0x10000, 6      # 64 commands, 1 KiB
EVTQ, EVTQ_LOG2 = 0x10400, 5      # 32 records, 1 KiB
PRIQ, PRIQ_LOG2 = 0x10800, 2      # 4 requests
END = 0x10840

img = bytearray(END - BASE)


def put(addr, *words):
    struct.pack_into("<%dQ" % len(words), img, addr - BASE, *words)


def cmd(op, sid=0, ssid=0, ssv=0, ssec=0, d0=0, d1=0):
    return (op | ssec << 10 | ssv << 11 | ssid << 12 | sid << 32 | d0, d1)


def tlbi(op, vmid=0, asid=0, num=0, scale=0, leaf=0, ttl=0, tg=0, addr=0):
    return (op | num << 12 | scale << 20 | vmid << 32 | asid << 48,
            leaf | ttl << 8 | tg << 10 | addr)


def sync(cs, msiaddr=0, msidata=0):
    return (0x46 | cs << 12 | 3 << 22 | 0xF << 24 | msidata << 32, msiaddr)


def cmdq_slot(i):
    return CMDQ + 16 * i


commands = [
    cmd(0x01, sid=8),                                          # PREFETCH_CONFIG
    cmd(0x02, sid=8, ssid=1, ssv=1, d1=3 | 0x40000000),         # PREFETCH_ADDR
    cmd(0x03, sid=8, d1=1),                                    # CFGI_STE leaf
    (0, cmdq_slot(3)),                                         # SYNC, MSI zeroed
    cmd(0x04, d1=31),                                          # CFGI_ALL
    sync(2),                                                   # SYNC written over a bad command
    cmd(0x05, sid=8, ssid=1, d1=1),                            # CFGI_CD
    cmd(0x06, sid=8),                                          # CFGI_CD_ALL
    cmd(0x07, d0=3 << 32),                                     # CFGI_VMS_PIDM vmid 3
    tlbi(0x10),                                                # TLBI_NH_ALL
    tlbi(0x11, asid=5),                                        # TLBI_NH_ASID
    tlbi(0x12, asid=5, num=1, leaf=1, ttl=3, tg=1, addr=0x400000),  # NH_VA range
    tlbi(0x13, addr=0x800000, leaf=1),                         # NH_VAA
    tlbi(0x18),                                                # TLBI_EL3_ALL
    tlbi(0x1A, addr=0x3000),                                   # TLBI_EL3_VA
    tlbi(0x20),                                                # TLBI_EL2_ALL
    (0x21 | 7 << 48, 0),                                       # TLBI_EL2_ASID
    tlbi(0x22, asid=7, addr=0x1000, leaf=1),                   # TLBI_EL2_VA
    tlbi(0x23, addr=0x2000),                                   # TLBI_EL2_VAA
    tlbi(0x28, vmid=1),                                        # TLBI_S12_VMALL
    tlbi(0x2A, vmid=1, leaf=1, addr=0x80000000),               # TLBI_S2_IPA
    tlbi(0x30),                                                # TLBI_NSNH_ALL
    cmd(0x40, sid=8, ssid=1, ssv=1, d1=52),                    # ATC_INV all
    cmd(0x41, sid=8, ssid=1, ssv=1, d1=5 | 2 << 12),           # PRI_RESP success
    cmd(0x44, sid=8, d0=1 << 12, d1=0x12),                     # RESUME retry
    cmd(0x45, sid=8),                                          # STALL_TERM
    sync(1, msiaddr=cmdq_slot(26)),                            # SYNC, MSI pending
    tlbi(0x50), (0x51 | 2 << 48, 0), tlbi(0x52, asid=2, addr=0x5000),
    tlbi(0x53, addr=0x6000), tlbi(0x58, vmid=4), tlbi(0x5A, vmid=4, addr=0x7000),
    tlbi(0x60),                                                # Secure ones (27..33)
    tlbi(0x70),                                                # DPTI_ALL
    (0x73 | 0x100, 0x9000),                                    # DPTI_PA (not decoded)
    (0x85 | 0xabc00, 0x1),                                     # IMPDEF
    (0x08, 0),                                                 # Reserved opcode
    tlbi(0x12, asid=5, tg=1, addr=0x10000),                    # range with no range
    sync(3),                                                   # CS reserved
    cmd(0x03, sid=0x20000, ssec=1, d1=1 | 1 << 5),             # SSec, RES0, SID range
    tlbi(0x12, asid=5, num=3, addr=0x20000),                   # NUM without TG
    tlbi(0x12, asid=5, tg=2, ttl=1, addr=0x40000),             # 16K TTL 1 without DS
    (0, 0),                                                    # pending zero = opcode 0
]
assert len(commands) == 44
for i, (d0, d1) in enumerate(commands):
    put(cmdq_slot(i), d0, d1)

EV_CLASS_IN = 2


def evt(eid, sid=0, ssid=0, ssv=0, d1=0, d2=0, d3=0):
    return (eid | ssv << 11 | ssid << 12 | sid << 32, d1, d2, d3)


events = [
    evt(0x01, sid=8, d1=0x11 | 1 << 35, d2=0x1000),            # F_UUT
    evt(0x02, sid=0x9999),                                     # C_BAD_STREAMID
    evt(0x03, sid=8, d1=0x2, d3=0x48000200),                   # F_STE_FETCH
    evt(0x04, sid=8),                                          # C_BAD_STE
    evt(0x05, sid=8, d2=0x7000),                               # F_BAD_ATS_TREQ
    evt(0x06, sid=8),                                          # F_STREAM_DISABLED
    evt(0x07, sid=8, d1=1 << 35, d2=0x8000),                   # F_TRANSL_FORBIDDEN
    evt(0x08, sid=8, ssid=0x40),                               # C_BAD_SUBSTREAMID
    evt(0x09, sid=8, ssid=1, ssv=1, d2=0x48001040),            # F_CD_FETCH, QEMU style
    evt(0x0A, sid=8, ssid=1, ssv=1),                           # C_BAD_CD
    evt(0x0B, sid=8, d1=1 << 40, d2=0x400000, d3=0x48002008),  # F_WALK_EABT TT
    evt(0x10, sid=8, ssid=1, ssv=1, d1=1 << 35 | EV_CLASS_IN << 40, d2=0xdead000),
    evt(0x11, sid=8, d1=1 << 39 | EV_CLASS_IN << 40, d2=0x1000, d3=0x100000000000),
    evt(0x12, sid=8, d1=0x33 | 1 << 31 | EV_CLASS_IN << 40, d2=0x2000),
    evt(0x13, sid=8, d1=1 << 39 | 1 << 40 | 1 << 44, d2=0x3000, d3=0x80003000),
    evt(0x20, sid=8, d2=0x4000),                               # F_TLB_CONFLICT
    evt(0x21, sid=8, d1=0x77),                                 # F_CFG_CONFLICT
    evt(0x24, sid=8, ssid=2, ssv=1, d1=1 << 35 | 1 << 34 | 4 << 44, d2=0x10000),
    evt(0x25, sid=8, d3=0x48003000),                           # F_VMS_FETCH
    evt(0xE3, sid=8, d1=0x5),                                  # IMPDEF
    evt(0x30, sid=8),                                          # Reserved
]
for i, e in enumerate(events):
    put(EVTQ + 32 * i, *e)

pri = [
    (8 | 1 << 32 | 1 << 60 | 1 << 62 | 1 << 63, 3 | 0x7000),
    (8 | 1 << 61 | 1 << 55, 4 | 0x9000),
]
for i, p in enumerate(pri):
    put(PRIQ + 16 * i, *p)

open(sys.argv[1], "wb").write(img)
# CMDQ: 30 consumed, 14 pending; EVTQ: wrapped, 19 consumed, 2 pending.
print("--cmdq 0x%x --cmdq-prod 44 --cmdq-cons 30" % (CMDQ | CMDQ_LOG2))
print("--evtq 0x%x --evtq-prod 0x%x --evtq-cons 0x%x" % (EVTQ | EVTQ_LOG2, 21 | 32, 19 | 32))
print("--priq 0x%x --priq-prod 2 --priq-cons 1" % (PRIQ | PRIQ_LOG2))
