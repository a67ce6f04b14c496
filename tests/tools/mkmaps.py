#!/usr/bin/env python3
"""Writes a pipe-mode perf.data that is hard on address-space replay, then one sample.

  mkmaps.py desc N FILE   N maps of N distinct files, each below the last
                          (how mmap_base grows: an ever-growing sorted insert)
  mkmaps.py forks N FILE  N rounds of: the first process maps a file, then forks
  mkmaps.py dwarf N FILE  N rounds of: a map below the last, then a DWARF sample
                          (x86_64 registers bp, sp, ip and 64 bytes of stack)
The samples, in the first process, fall in the first map."""
import struct
import sys

PERF_RECORD_MMAP, PERF_RECORD_COMM, PERF_RECORD_FORK, PERF_RECORD_SAMPLE = 1, 3, 7, 9
PERF_RECORD_HEADER_ATTR = 64
PERF_SAMPLE_IP, PERF_SAMPLE_TID = 1, 2
PERF_SAMPLE_REGS_USER, PERF_SAMPLE_STACK_USER = 1 << 12, 1 << 13
X86_BP_SP_IP = 0x1c0
MISC_USER = 2


def record(out, rtype, misc, body):
    body += b"\0" * (-len(body) % 8)
    out.write(struct.pack("<IHH", rtype, misc, 8 + len(body)) + body)


def main():
    mode, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, "wb") as out:
        out.write(b"PERFILE2" + struct.pack("<Q", 16))
        # perf_event_attr (type, size, config, sample_period, sample_type, ...) and one id
        sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID
        if mode == "dwarf":
            sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER
        attr = bytearray(128)
        struct.pack_into("<IIQQQ", attr, 0, 1, 128, 0, 1000, sample_type)
        struct.pack_into("<QI", attr, 80, X86_BP_SP_IP, 64)  # sample_regs_user, sample_stack_user
        record(out, PERF_RECORD_HEADER_ATTR, 0, bytes(attr) + struct.pack("<Q", 1))
        record(out, PERF_RECORD_COMM, 0, struct.pack("<II", 1, 1) + b"maps\0")
        first = 0x7f0000000000
        for i in range(n):
            start = first - i * 0x10000
            name = b"/nonexistent/lib%d.so\0" % i
            record(out, PERF_RECORD_MMAP, MISC_USER, struct.pack("<IIQQQ", 1, 1, start, 0x1000, 0) + name)
            if mode == "forks":
                child = 2 + i
                record(out, PERF_RECORD_FORK, 0, struct.pack("<IIIIQ", child, 1, child, 1, 0))
            if mode == "dwarf":
                ip = first + 0x800
                regs = struct.pack("<QQQQ", 2, 0x7ffff000, 0x7ffff000, ip)  # ABI 64, bp, sp, ip
                stack = struct.pack("<Q", 64) + b"\0" * 64 + struct.pack("<Q", 64)
                record(out, PERF_RECORD_SAMPLE, MISC_USER, struct.pack("<QII", ip, 1, 1) + regs + stack)
        if mode != "dwarf":
            record(out, PERF_RECORD_SAMPLE, MISC_USER, struct.pack("<QII", first + 0x800, 1, 1))


if __name__ == "__main__":
    main()
