# SPDX-License-Identifier: GPL-2.0-or-later
"""Command, event and PRI rings for queues and explain: PROD and CONS at
every edge (wrap bits, a lap apart, ERR and overflow flags, indexes beyond
the ring), BASE registers whose rings are empty, huge, outside the dump,
running off its end or laid over each other, mutants of the ring memory,
and kernel logs and event words that are not what explain expects."""

STRTAB = 0x90000000
QBASE = 0x98000000
CMDQ = QBASE | 5               # 32 commands
EVTQ = (QBASE + 0x1000) | 3    # 8 events


def edges(log2size):
    size = 1 << log2size
    wrap = size
    return sorted({0, 1, size - 1, wrap, wrap | (size - 1), wrap + 1, 2 * size,
                   0x7fffffff, 0x80000000, 0x80000000 | wrap, 0xffffffff})


def generate(c):
    strtab = "%s@0x%x" % (c.file("strtab.bin", c.testdata("strtab/linear.bin")), STRTAB)
    qdata = c.testdata("explain/queues.bin")
    q = "%s@0x%x" % (c.file("queues.bin", qdata), QBASE)
    root = ["--strtab", hex(STRTAB), "--strtab-cfg", "4", "--caps", "generic,stall-model=1,cd2l=0"]
    good_cmd = ["--cmdq", hex(CMDQ), "--cmdq-prod", "16", "--cmdq-cons", "15"]
    good_evt = ["--evtq", hex(EVTQ), "--evtq-prod", "6", "--evtq-cons", "0"]

    c.case("well-formed queues", ["queues", strtab, q] + root[2:] + good_cmd + good_evt,
           status=(0, 1))
    for v in edges(5):
        for w in (0, 15, 0x80000000 | 15, 0xffffffff):
            c.case("cmdq prod 0x%x cons 0x%x" % (v, w),
                   ["queues", strtab, q, "--cmdq", hex(CMDQ), "--cmdq-prod", hex(v),
                    "--cmdq-cons", hex(w)])
    for v in edges(3):
        c.case("evtq prod 0x%x" % v, ["queues", strtab, q, "--evtq", hex(EVTQ), "--evtq-prod",
                                      hex(v), "--evtq-cons", "0", "--json"])
        c.case("explain evtq prod 0x%x cons 0x%x" % (v, v ^ 8),
               ["explain", strtab, q] + root + ["--evtq", hex(EVTQ), "--evtq-prod", hex(v),
                                                "--evtq-cons", hex(v ^ 8)])
        c.case("priq prod 0x%x" % v, ["queues", q, "--priq", hex(QBASE | 3), "--priq-prod",
                                      hex(v), "--priq-cons", "1"])
    # BASE registers: LOG2SIZE from 0 to its field's top, rings that start
    # outside the dump, run off its end, carry flags, or overlap each other.
    for log2 in (0, 1, 7, 19, 20, 31):
        c.case("cmdq LOG2SIZE %d" % log2, ["queues", q, "--cmdq", hex(QBASE | log2),
                                           "--cmdq-prod", "0xffffffff", "--cmdq-cons", "0"])
        c.case("evtq LOG2SIZE %d outside the dump" % log2,
               ["queues", q, "--evtq", hex(0x1000 | log2), "--evtq-prod", "1", "--evtq-cons", "0"])
    for base in (QBASE + 0x1fe0 | 5, QBASE + 0x2000 | 5, (1 << 62) | CMDQ, (1 << 64) - 32 | 5,
                 QBASE + 8 | 5):
        c.case("cmdq BASE 0x%x" % base, ["queues", q, "--cmdq", hex(base), "--cmdq-prod", "3",
                                          "--cmdq-cons", "0"])
    c.case("three rings over the same memory",
           ["queues", q, "--cmdq", hex(CMDQ), "--cmdq-prod", "31", "--cmdq-cons", "0",
            "--evtq", hex(QBASE | 3), "--evtq-prod", "7", "--evtq-cons", "0",
            "--priq", hex(QBASE | 4), "--priq-prod", "15", "--priq-cons", "0"])
    c.case("cmdq BASE that is no number", ["queues", q, "--cmdq", "0x98000005x"], status=(2,),
           stderr=r".")
    c.case("cmdq PROD past 32 bits", ["queues", q, "--cmdq", hex(CMDQ), "--cmdq-prod",
                                      "0x100000000", "--cmdq-cons", "0"], status=(2,),
           stderr=r".")
    for i, m in enumerate(c.mutants(qdata, 40, [STRTAB, QBASE, 0x10, 0x0a, 0x46])):
        mp = "%s@0x%x" % (c.file("mutant-%d.bin" % i, m), QBASE)
        if i % 2:
            c.case("explain mutant %d" % i, ["explain", strtab, mp] + root + good_cmd + good_evt)
        else:
            c.case("queues mutant %d" % i, ["queues", strtab, mp] + root[2:] + good_cmd
                   + good_evt + ["--all", "--json"])
    kernel_logs(c, strtab, root)


def kernel_logs(c, strtab, root):
    log = c.testdata("explain/dmesg.txt")
    hdr = b"arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:\n"
    word = b"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000000000010\n"
    logs = {
        "empty": b"",
        "binary": bytes(c.rand.randrange(256) for _ in range(8192)),
        "NUL bytes": log.replace(b"\n", b"\0\n"),
        "CRLF": log.replace(b"\n", b"\r\n"),
        "no final newline": log.rstrip(b"\n"),
        "a line of 1 MiB": b"arm-smmu-v3: event 0x10 received: " + b"0" * ((1 << 20) - 64),
        "2000 events": (hdr + word * 4) * 2000,
        "headers without words": hdr * 15000,
        "words without a header": word * 15000,
        "a word of 2^64": hdr + b"arm-smmu-v3 x: \t0x10000000000000000\n" * 4,
        "truncated record": hdr + word * 2,
        "every byte cut": log[:len(log) // 2],
    }
    for name, data in logs.items():
        p = c.file("log-%s.txt" % name.replace(" ", "-").replace("^", ""), data)
        c.case("kernel log: %s" % name, ["explain", strtab] + root + ["--event-log", p])
    for i, m in enumerate(c.mutants(log, 20)):
        p = c.file("log-mutant-%d.txt" % i, m)
        c.case("kernel log mutant %d" % i, ["explain", strtab] + root + ["--event-log", p]
               + (["--json"] if i % 2 else []))
    c.case("kernel log on standard input", ["explain", strtab] + root + ["--event-log", "-"],
           stdin=c.file("log-stdin.txt", log))
    for words in ("", "0x10", "0x10,0,0", "0x10,0,0,0,0", "0x10,,0,0", "x,0,0,0",
                  "0x10000000000000000,0,0,0", "0xff,0xffffffffffffffff,0,0", "-1,0,0,0"):
        c.case("--event '%s'" % words, ["explain", strtab] + root + ["--event", words])
