#!/usr/bin/python3
"""Independent reference for pgio's canonical row digests (Lineage.SHA256 and
Lineage.SetSHA256), written from the definition in doc.go with only the
Python standard library.

Run from internal/pgio:  /usr/bin/python3 testdata/hash_reference.py
It prints the two digests of the table in copy_test.go's sample(); hash_test.go
holds the printed values.
"""
import hashlib
import math
import struct

# sample(): columns (name, kind tag) and rows; None is a missing cell.
columns = [("id", b"i"), ("x", b"f"), ("b", b"b"), ("s", b"s")]
rows = [
    (1, 1.5, True, "a"),
    (-(2**63), float("nan"), False, ""),
    (2**63 - 1, float("-inf"), None, 'héllo "q"\n'),
    (None, -0.0, False, None),
]


def u32(n):
    return struct.pack(">I", n)


header = b"segment-rows-v1\n" + u32(len(columns))
for name, tag in columns:
    raw = name.encode("utf-8")
    header += u32(len(raw)) + raw + tag


def encode(row):
    out = b""
    for (name, tag), v in zip(columns, row):
        if v is None or (tag == b"f" and math.isnan(v)):
            out += b"\x00"
        elif tag == b"i":
            out += b"i" + struct.pack(">q", v)
        elif tag == b"f":
            out += b"f" + struct.pack(">d", v)
        elif tag == b"b":
            out += b"b" + (b"\x01" if v else b"\x00")
        else:
            raw = v.encode("utf-8")
            out += b"s" + u32(len(raw)) + raw
    return out


digests = [hashlib.sha256(encode(r)).digest() for r in rows]
ordered = hashlib.sha256(header + b"".join(digests)).hexdigest()
total = sum(int.from_bytes(d, "big") for d in digests) % 2**256
unordered = hashlib.sha256(header + total.to_bytes(32, "big") + struct.pack(">Q", len(rows))).hexdigest()
print("ordered", ordered)
print("set", unordered)
