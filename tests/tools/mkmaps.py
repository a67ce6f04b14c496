#!/usr/bin/env python3
"""Writes a pipe-mode perf.data that is hard on address-space replay, then one sample.

  mkmaps.py desc N FILE   N maps of N distinct files, each below the last
                          (how mmap_base grows: an ever-growing sorted insert)
  mkmaps.py forks N FILE  N rounds of: the first process maps a file, then forks
The sample, in the first process, falls in the first map."""
import struct
import sys

PERF_RECORD_MMAP, PERF_RECORD_COMM, PERF_RECORD_FORK, PERF_RECORD_SAMPLE = 1, 3, 7, 9
PERF_RECORD_HEADER_ATTR = 64
PERF_SAMPLE_IP, PERF_SAMPLE_TID = 1, 2
MISC_USER = 2


def record(out, rtype, misc, body):
    body += b"\0" * (-len(body) % 8)
    out.write(struct.pack("<IHH", rtype, misc, 8 + len(body)) + body)


def main():
    mode, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, "wb") as out:
        out.write(b"PERFILE2" + struct.pack("<Q", 16))
        # perf_event_attr (type, size, config, sample_period, sample_type, ...) and one id
        attr = struct.pack("<IIQQQ", 1, 128, 0, 1000, PERF_SAMPLE_IP | PERF_SAMPLE_TID)
        record(out, PERF_RECORD_HEADER_ATTR, 0, attr + b"\0" * (128 - len(attr)) + struct.pack("<Q", 1))
        record(out, PERF_RECORD_COMM, 0, struct.pack("<II", 1, 1) + b"maps\0")
        first = 0x7f0000000000
        for i in range(n):
            start = first - i * 0x10000
            name = b"/nonexistent/lib%d.so\0" % i
            record(out, PERF_RECORD_MMAP, MISC_USER, struct.pack("<IIQQQ", 1, 1, start, 0x1000, 0) + name)
            if mode == "forks":
                child = 2 + i
                record(out, PERF_RECORD_FORK, 0, struct.pack("<IIIIQ", child, 1, child, 1, 0))
        record(out, PERF_RECORD_SAMPLE, MISC_USER, struct.pack("<QII", first + 0x800, 1, 1))


if __name__ == "__main__":
    main()
