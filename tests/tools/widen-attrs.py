#!/usr/bin/env python3
"""Rewrites a file-mode perf.data with every attr EXTRA bytes longer (zero
filled, size field raised), as newer perf versions write them. Moves the
ids, data and feature sections accordingly. Usage: widen-attrs IN OUT EXTRA"""
import struct, sys

src, dst, extra = sys.argv[1], sys.argv[2], int(sys.argv[3])
buf = open(src, "rb").read()
magic, hsize, attr_size = struct.unpack_from("<8sQQ", buf, 0)
assert magic == b"PERFILE2" and hsize == 104, "not a file-mode perf.data"
attrs_off, attrs_sz, data_off, data_sz, et_off, et_sz = struct.unpack_from("<6Q", buf, 24)
features = struct.unpack_from("<4Q", buf, 72)

out = bytearray(104)
entries = []
for i in range(attrs_sz // attr_size):
    e = buf[attrs_off + i * attr_size: attrs_off + (i + 1) * attr_size]
    attr, (ids_off, ids_sz) = bytearray(e[:-16]), struct.unpack("<QQ", e[-16:])
    struct.pack_into("<I", attr, 4, len(attr) + extra)
    new_ids_off = len(out)
    out += buf[ids_off: ids_off + ids_sz]
    entries.append(bytes(attr) + bytes(extra) + struct.pack("<QQ", new_ids_off, ids_sz))
new_attrs_off = len(out)
for e in entries:
    out += e
new_data_off = len(out)
out += buf[data_off: data_off + data_sz]

nfeat = sum(bin(f).count("1") for f in features)
table = [struct.unpack_from("<QQ", buf, data_off + data_sz + 16 * k) for k in range(nfeat)]
table_at = len(out)
out += bytes(16 * nfeat)
for k, (off, sz) in enumerate(table):
    struct.pack_into("<QQ", out, table_at + 16 * k, len(out), sz)
    out += buf[off: off + sz]

struct.pack_into("<8sQQ6Q4Q", out, 0, b"PERFILE2", 104, attr_size + extra,
                 new_attrs_off, len(entries) * (attr_size + extra), new_data_off, data_sz, 0, 0, *features)
open(dst, "wb").write(out)
