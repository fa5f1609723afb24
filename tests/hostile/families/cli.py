# SPDX-License-Identifier: GPL-2.0-or-later
"""Command-line misuse: unknown commands and options, missing and doubled
arguments, numbers out of range, options of one command given to another."""

COMMANDS = ["decode", "validate", "build", "attach", "formats", "rules"]
BAD_NUMBERS = ["", "-1", "0x", "0x1g", "1e3", " 1", "18446744073709551616", "0x10000000000000000"]
NUMERIC = ["--base", "--ssid-bits", "--cd-table", "--strtab", "--strtab-cfg", "--sid", "--ssid"]


def generate(c):
    img = c.file("cd.bin", c.testdata("cd/linear.bin"))
    c.case("no command", [], status=(2,))
    c.case("unknown command", ["decodee"], status=(2,), stderr="did you mean")
    for cmd in COMMANDS:
        c.case("%s --no-such-option" % cmd, [cmd, "--no-such-option"], status=(2,))
        c.case("%s -Z" % cmd, [cmd, "-Z"], status=(2,))
        c.case("%s --help" % cmd, [cmd, "--help"], status=(0,))
        c.case("%s --json --color=sometimes" % cmd, [cmd, "--color=sometimes"], status=(2,))
    for cmd in ("decode", "validate"):
        c.case("%s without input" % cmd, [cmd], status=(2,))
        c.case("%s with a missing input" % cmd, [cmd, c.path("missing"), "--ssid-bits", "0"],
               status=(2,), stdout_empty=True)
        c.case("%s of a directory" % cmd, [cmd, c.dir, "--ssid-bits", "0"], status=(2,),
               stdout_empty=True)
        for opt in NUMERIC:
            for v in BAD_NUMBERS:
                c.case("%s %s '%s'" % (cmd, opt, v), [cmd, img, opt, v], status=(2,),
                       stdout_empty=True)
        c.case("%s --ssid-bits 21" % cmd, [cmd, img, "--ssid-bits", "21"], status=(2,))
        c.case("%s --strtab and --cd-table" % cmd,
               [cmd, img, "--strtab", "0", "--strtab-cfg", "4", "--cd-table", "0"], status=(2,))
        c.case("%s --layout bogus --json" % cmd, [cmd, img, "--layout", "bogus", "--json"],
               status=(2,), stdout_empty=True)
        c.case("%s FILE@garbage" % cmd, [cmd, img + "@0xzz", "--ssid-bits", "0"], status=(2,))
    c.case("build without -o", ["build", c.path("spec.json")], status=(2,))
    c.case("build without spec", ["build", "-o", c.path("x")], status=(2,))
    c.case("attach without subcommand", ["attach"], status=(2,))
    c.case("attach bogus subcommand", ["attach", "bogus", img], status=(2,))
    c.case("attach decode a directory", ["attach", "decode", c.dir], status=(2,),
           stderr="is a directory")
    c.case("attach decode -o", ["attach", "decode", img, "-o", c.path("x")], status=(2,))
    c.case("formats unknown", ["formats", "no-such-format"], status=(2,))
