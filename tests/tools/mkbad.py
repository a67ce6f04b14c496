#!/usr/bin/env python3
"""Writes small pipe-mode perf.data streams that have tripped readers before.

  mkbad.py header FILE        the 16-byte pipe header and nothing else
  mkbad.py lateattr FILE      samples of event 1, then event 2's attr, then its samples
  mkbad.py firstempty FILE [BINARY A1 A2 A3]
                              two events named cpu_atom/cycles/ and cpu_core/cycles/;
                              only the second has samples: 20, 50 and 30 at three addresses
                              (at A1, A2, A3 of BINARY, when given, mapped at 0x400000)
  mkbad.py compressed2 FILE   the firstempty stream, its records in COMPRESSED2 records
                              (perf -z since 6.12) of odd payload sizes, several per frame
  mkbad.py aux FILE           one event's samples and PERF_RECORD_AUX / AUXTRACE data
  mkbad.py attrs N FILE       N attr records, then one sample of the last event
  mkbad.py groups FILE        a leader-sampled group {a,b}:S inherited by two threads that
                              share the counters' ids: thread 11 adds 10 to b per sample
                              at 0x1100, thread 12 adds 30 at 0x1200 (b: 25 % / 75 %)
  mkbad.py nochain FILE       samples without call chains (for report -g)
  mkbad.py lbr FILE BINARY    LBR call-stack samples (record --call-graph lbr) of the
                              callers workload: in leaf, with LBR entries for the
                              calls caller_a -> leaf and main -> caller_a (found with
                              objdump), and a bogus frame-pointer frame to be ignored

Samples fall in /nonexistent/app mapped at 0x400000, so each address is its own row."""
import re
import struct
import subprocess
import sys

REC_MMAP, REC_COMM, REC_FORK, REC_AUX, REC_SAMPLE = 1, 3, 7, 11, 9
REC_ROUND = 68
REC_HEADER_ATTR, REC_FEATURE, REC_AUXTRACE, REC_COMPRESSED2 = 64, 80, 71, 83
S_IP, S_TID, S_PERIOD, S_READ, S_IDENTIFIER = 1, 2, 1 << 8, 1 << 4, 1 << 16
S_CALLCHAIN, S_BRANCH_STACK = 1 << 5, 1 << 11
BR_USER, BR_CALL_STACK, BR_HW_INDEX = 1, 1 << 11, 1 << 17
PERF_CONTEXT_USER = (1 << 64) - 512
F_ID, F_GROUP = 4, 8
FEAT_EVENT_DESC = 12
MISC_USER = 2
BASE = 0x400000
HEAD_LEN = 0
SAMPLE_TYPE = S_IDENTIFIER | S_IP | S_TID | S_PERIOD


def rec(rtype, body, misc=0):
    body += b"\0" * (-len(body) % 8)
    return struct.pack("<IHH", rtype, misc, 8 + len(body)) + body


def attr(config, sample_type=SAMPLE_TYPE, read_format=0, etype=4):
    a = bytearray(128)
    struct.pack_into("<IIQQQQ", a, 0, etype, 128, config, 1000, sample_type, read_format)
    struct.pack_into("<Q", a, 40, 1 << 18)  # sample_id_all
    return bytes(a)


def attr_rec(a, *ids):
    return rec(REC_HEADER_ATTR, a + b"".join(struct.pack("<Q", i) for i in ids))


def pstr(s):
    s = s.encode() + b"\0"
    s += b"\0" * (-len(s) % 8)
    return struct.pack("<I", len(s)) + s


def event_desc(events):
    """A pipe-mode EVENT_DESC feature: (attr bytes, name, ids) per event."""
    body = struct.pack("<II", len(events), 128)
    for a, name, ids in events:
        body += a + struct.pack("<I", len(ids)) + pstr(name) + b"".join(struct.pack("<Q", i) for i in ids)
    return rec(REC_FEATURE, struct.pack("<Q", FEAT_EVENT_DESC) + body)


def comm_mmap(pid=1, tid=1, binary="/nonexistent/app"):
    trailer = struct.pack("<IIQ", pid, tid, 1)  # sample_id_all trailer: tid, identifier
    out = rec(REC_COMM, struct.pack("<II", pid, tid) + b"app\0\0\0\0\0" + trailer)
    name = binary.encode() + b"\0"
    name += b"\0" * (-len(name) % 8)
    out += rec(REC_MMAP, struct.pack("<IIQQQ", pid, tid, BASE, 0x1000000, 0) + name + trailer, MISC_USER)
    return out


def sample(ident, ip, pid=1, tid=1, period=1000):
    return rec(REC_SAMPLE, struct.pack("<QQIIQ", ident, ip, pid, tid, period), MISC_USER)


def firstempty_records(binary="/nonexistent/app", addrs=(0x1100, 0x1200, 0x1300)):
    a, b = attr(0), attr(0)
    out = attr_rec(a, 1) + attr_rec(b, 2)
    out += event_desc([(a, "cpu_atom/cycles/", [1]), (b, "cpu_core/cycles/", [2])])
    global HEAD_LEN
    HEAD_LEN = len(out)
    out += comm_mmap(binary=binary)
    for ip, n in zip(addrs, (20, 50, 30)):
        out += b"".join(sample(2, BASE + ip) for _ in range(n))
    return out


def compressed2(records):
    """Splits RECORDS (whole records) into zstd frames of a few records each."""
    out, chunk, k = b"", b"", 0
    pos = 0
    while pos < len(records):
        size = struct.unpack_from("<H", records, pos + 6)[0]
        chunk += records[pos:pos + size]
        pos += size
        k += 1
        if k % 7 == 0 or pos == len(records):
            z = subprocess.run(["zstd", "-q", "-c", "-"], input=chunk, check=True,
                               stdout=subprocess.PIPE).stdout
            body = struct.pack("<Q", len(z)) + z
            pad = -len(body) % 8
            out += struct.pack("<IHH", REC_COMPRESSED2, 0, 8 + len(body) + pad) + body + b"\0" * pad
            chunk = b""
    return out


def main():
    mode = sys.argv[1]
    path = sys.argv[2] if mode in ("firstempty", "lbr") else sys.argv[-1]
    out = b""
    if mode == "header":
        pass
    elif mode == "lateattr":
        out += attr_rec(attr(0), 1) + comm_mmap()
        out += b"".join(sample(1, BASE + 0x1100) for _ in range(10))
        out += rec(REC_ROUND, b"")
        out += attr_rec(attr(1), 2)
        out += b"".join(sample(2, BASE + 0x1200) for _ in range(30))
    elif mode == "firstempty":
        if len(sys.argv) == 7:
            out += firstempty_records(sys.argv[3], [int(x, 16) for x in sys.argv[4:7]])
        else:
            out += firstempty_records()
    elif mode == "compressed2":
        recs = firstempty_records()
        # Attrs and features stay outside: perf compresses only what the rings deliver.
        out += recs[:HEAD_LEN] + compressed2(recs[HEAD_LEN:])
    elif mode == "aux":
        out += attr_rec(attr(0), 1) + comm_mmap()
        out += b"".join(sample(1, BASE + 0x1100) for _ in range(5))
        out += rec(REC_AUX, struct.pack("<QQQ", 0, 4096, 0) + struct.pack("<IIQ", 1, 1, 1))
        payload = b"\x55" * 64
        out += rec(REC_AUXTRACE, struct.pack("<QQQIIII", len(payload), 0, 1, 0, 1, 0, 0)) + payload
    elif mode == "attrs":
        n = int(sys.argv[2])
        out += b"".join(attr_rec(attr(i), i + 1) for i in range(n))
        out += comm_mmap()
        out += sample(n, BASE + 0x1100)
    elif mode == "groups":
        st = SAMPLE_TYPE | S_READ
        rf = F_GROUP | F_ID
        out += attr_rec(attr(0, st, rf), 1) + attr_rec(attr(1, st, rf), 2)
        out += comm_mmap(1, 11)
        trailer = struct.pack("<IIQ", 1, 12, 1)
        out += rec(REC_FORK, struct.pack("<IIIIQ", 1, 1, 12, 11, 0) + trailer)
        out += rec(REC_COMM, struct.pack("<II", 1, 12) + b"app\0\0\0\0\0" + trailer)
        values = {11: [0, 0], 12: [0, 0]}
        for i in range(200):
            tid = 11 if i % 2 == 0 else 12
            v = values[tid]
            v[0] += 1000
            v[1] += 10 if tid == 11 else 30
            ip = BASE + (0x1100 if tid == 11 else 0x1200)
            read = struct.pack("<QQQQQ", 2, v[0], 1, v[1], 2)
            out += rec(REC_SAMPLE, struct.pack("<QQIIQ", 1, ip, 1, tid, 1000) + read, MISC_USER)
    elif mode == "lbr":
        binary = sys.argv[3]
        dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        funcs, calls, cur = {}, {}, None
        for line in dis.splitlines():
            m = re.match(r"^([0-9a-f]+) <([^>]+)>:", line)
            if m:
                cur = m.group(2)
                funcs[cur] = int(m.group(1), 16)
                continue
            m = re.match(r"^\s*([0-9a-f]+):\s+call\s+[0-9a-f]+ <([^>]+)>", line)
            if m and cur:
                calls.setdefault((cur, m.group(2)), int(m.group(1), 16))
        st = SAMPLE_TYPE | S_CALLCHAIN | S_BRANCH_STACK
        a = bytearray(attr(0, st))
        struct.pack_into("<Q", a, 72, BR_USER | BR_CALL_STACK | BR_HW_INDEX)
        a = bytes(a)
        out += attr_rec(a, 1) + event_desc([(a, "cycles", [1])])
        out += comm_mmap(binary=binary)
        ip = BASE + funcs["leaf"] + 4
        branches = [(BASE + calls[("caller_a", "leaf")], BASE + funcs["leaf"]),
                    (BASE + calls[("main", "caller_a")], BASE + funcs["caller_a"])]
        for _ in range(40):
            chain = struct.pack("<QQQQ", 3, PERF_CONTEXT_USER, ip, 0xdead0000beef)
            stack = struct.pack("<QQ", len(branches), 0)  # nr, hw_idx
            stack += b"".join(struct.pack("<QQQ", f, t, 0) for f, t in branches)
            out += rec(REC_SAMPLE, struct.pack("<QQIIQ", 1, ip, 1, 1, 1000) + chain + stack, MISC_USER)
    elif mode == "nochain":
        out += attr_rec(attr(0), 1) + comm_mmap()
        out += b"".join(sample(1, BASE + 0x1100) for _ in range(10))
    else:
        sys.exit(__doc__)
    with open(path, "wb") as f:
        f.write(b"PERFILE2" + struct.pack("<Q", 16) + out)


if __name__ == "__main__":
    main()
