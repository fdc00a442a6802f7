#!/usr/bin/env python3
# tests/isa/a64-scan-explain.py: names the words a64-scan printed (the instructions of real
# programs that vireo-aarch64's front end does not implement) and fails on any it cannot explain.
# Reads a64-scan's lines (FILE TAB ADDRESS TAB WORD) on stdin, disassembles the distinct words
# in one objdump run (aarch64-linux-gnu-objdump -D -b binary), and sorts each into a class that
# a Linux program may not run without asking first: words that are no instruction (data in a
# text section, UDF), and the extensions AT_HWCAP/AT_HWCAP2 do not advertise (src/emu/aarch64/
# features.c), which programs only run after checking for them (glibc's SVE and MOPS string
# functions, its MTE malloc, OpenSSL's crypto, FP16, dot-product ... code). Prints the count per
# class, then every unexplained word with its disassembly and the files and addresses holding it;
# exit status 1 when there is one, 0 otherwise.
#   a64-scan -n FILE... | a64-scan-explain.py [--objdump PROG]
#   a64-scan-explain.py --self-test     the classes on known disassembly (no objdump needed)
import re
import struct
import subprocess
import sys
import tempfile

# (class, pattern on "MNEMONIC OPERANDS" as objdump prints them). First match wins.
CLASSES = [
    ("no instruction (data, UDF)", r"^(\.inst|udf)\b"),
    ("SVE, SME", r"\b(z\d+|p\d+|za\d*[hvbsdq]?|zt0)(\.|/|,|\s|\]|\[|$)|\{\s*za|\bza\b"
                 r"|^(ptrue|pfalse|whilel[eot]|whileh[is]|whileg[et]|cnt[bhwd]|(sq|uq)?(inc|dec)[bhwdp]"
                 r"|rdvl|addvl|addpl|addsvl|addspl|rdsvl|smstart|smstop|zero|setffr|rdffr|wrffr)\b"),
    ("MTE", r"^(stgp|st2g|stz2g|stzg|stg|ldg|irg|gmi|addg|subg|subps?|ldgm|stgm|stzgm)\b|^dc\s+gz?va\b"),
    ("MOPS", r"^(cpy|set)[a-z]*\s+\["),
    ("crypto (AES, PMULL, SHA1/2/3, SM3/4)", r"^(aes[a-z]*|sha[0-9a-z]*|sm3[a-z0-9]*|sm4[a-z]*|eor3|bcax|xar|rax1|pmull2?)\b"),
    ("FP16", r"^f\S*\s+(h\d+|v\d+\.[48]h)\b|^(fcvtz[su]|[su]cvtf|fmov)\s+.*\bh\d+"),
    ("PAuth loads and branches", r"^(ldraa|ldrab|braaz?|brabz?|blraaz?|blrabz?|retaa|retab|eretaa|eretab)\b"),
    ("RDM, FCMA, dot product, BF16, I8MM, FHM", r"^(sqrdmlah|sqrdmlsh|fcmla|fcadd|sdot|udot|usdot|sudot|smmla|ummla|usmmla"
                                                r"|bf[a-z0-9]+|fmlal2?|fmlsl2?)\b"),
    ("CSSC", r"^(smax|umax|smin|umin|abs|cnt|ctz)\s+[wx]"),
    ("HBC", r"^bc\."),
    ("FRINTTS, FlagM", r"^(frint(32|64)[xz]|rmif|setf(8|16)|cfinv|axflag|xaflag)\b"),
    ("EL1 and above, system registers by number", r"^(hvc|smc|dcps[123]|sysl?|eret|tlbi|at)\b|^(msr|mrs)\b.*\bs[0-3]_[0-7]_c"),
]
RX = [(name, re.compile(rx)) for name, rx in CLASSES]


def classify(dis):
    for name, rx in RX:
        if rx.search(dis):
            return name
    return None


def self_test():
    known = {
        "udf #0": "no instruction (data, UDF)",
        ".inst 0x0c0f0e0d ; undefined": "no instruction (data, UDF)",
        "st1b {z0.b}, p0, [x0]": "SVE, SME",
        "whilelo p1.b, x7, x2": "SVE, SME",
        "cntb x7": "SVE, SME",
        "ldg x0, [x0]": "MTE",
        "cpyfp [x3]!, [x1]!, x2!": "MOPS",
        "aese v6.16b, v0.16b": "crypto (AES, PMULL, SHA1/2/3, SM3/4)",
        "pmull v0.1q, v0.1d, v0.1d": "crypto (AES, PMULL, SHA1/2/3, SM3/4)",
        "fnmadd h28, h20, h14, h11": "FP16",
        "fmls v31.8h, v14.8h, v10.h[6]": "FP16",
        "ldraa x22, [x6, #760]!": "PAuth loads and branches",
        "umax w5, w9, #37": "CSSC",
        "msr s0_3_c1_c12_6, x10": "EL1 and above, system registers by number",
    }
    # What Linux programs run everywhere, and vireo implements: never explained away.
    plain = ["add x0, x1, x2", "ldr x0, [x1, #8]", "fmadd d0, d1, d2, d3", "fmla v0.4s, v1.4s, v2.4s",
             "cnt v0.8b, v1.8b", "umaxv b0, v1.16b", "smax v0.4s, v1.4s, v2.4s", "st1 {v0.16b}, [x0]",
             "ld1 {v0.16b, v1.16b}, [x1], #32", "tbl v0.16b, {v1.16b}, v2.16b", "fcvtzs w0, d1",
             "mrs x0, tpidr_el0", "msr fpcr, x0", "mrs x0, midr_el1", "dc zva, x0", "sub sp, sp, #0x10",
             "paciasp", "autiasp", "bti c", "casal x0, x1, [x2]", "crc32cx w0, w1, x2", "fmov s0, w1",
             "scvtf d0, x1", "ext v0.16b, v1.16b, v2.16b, #8", "addp d0, v1.2d", "uzp1 v0.4s, v1.4s, v2.4s"]
    bad = 0
    for dis, want in known.items():
        got = classify(dis)
        if got != want:
            print(f"self-test: {dis!r} classed {got!r}, expected {want!r}")
            bad = 1
    for dis in plain:
        got = classify(dis)
        if got is not None:
            print(f"self-test: {dis!r} classed {got!r}, expected no class")
            bad = 1
    print("self-test:", "FAILED" if bad else "ok", f"({len(known)} gated, {len(plain)} plain)")
    return bad


def main():
    args = sys.argv[1:]
    if args == ["--self-test"]:
        return self_test()
    objdump = "aarch64-linux-gnu-objdump"
    if len(args) == 2 and args[0] == "--objdump":
        objdump = args[1]
    elif args:
        print("usage: a64-scan-explain.py [--objdump PROG] | --self-test", file=sys.stderr)
        return 2
    where = {}
    for line in sys.stdin:
        f = line.rstrip("\n").split("\t")
        if len(f) != 3:
            print(f"a64-scan-explain: not a64-scan output: {line!r}", file=sys.stderr)
            return 2
        where.setdefault(int(f[2], 16), []).append((f[0], f[1]))
    words = sorted(where)
    dis = {}
    if words:
        with tempfile.NamedTemporaryFile(suffix=".bin") as t:
            t.write(b"".join(struct.pack("<I", w) for w in words))
            t.flush()
            out = subprocess.run([objdump, "-D", "-z", "-b", "binary", "-m", "aarch64", t.name],
                                 capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split("\t")
            if len(f) >= 3 and re.fullmatch(r"\s*[0-9a-f]+:", f[0]):
                dis[int(f[0].strip()[:-1], 16) // 4] = " ".join(x.strip() for x in f[2:]).strip()
    counts = {}
    unexplained = []
    for i, w in enumerate(words):
        d = dis.get(i, "?")
        c = classify(d)
        if c is None:
            unexplained.append((w, d))
        else:
            counts[c] = counts.get(c, 0) + len(where[w])
    for name, _ in CLASSES:
        if name in counts:
            print(f"{counts[name]:8d}  {name}")
    for w, d in unexplained:
        places = where[w]
        shown = ", ".join(f"{p}+0x{a}" for p, a in places[:3]) + (" ..." if len(places) > 3 else "")
        print(f"UNEXPLAINED {w:08x}  {d}  ({len(places)}x: {shown})")
    print(f"{len(words)} distinct words not implemented, {len(unexplained)} unexplained")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
