"""Qt .rcc resource files (GCompris ships its pictures in them), read in pure Python."""

import struct
import zlib
from collections.abc import Callable, Iterator


def read_rcc(blob: bytes, report: Callable[[str], None] = lambda line: None,
             ) -> Iterator[tuple[str, bytes]]:
    """(path, content) of every file in an .rcc; zstd-compressed ones only when the optional
    zstandard package is installed (else they are reported and left out)."""
    if blob[:4] != b"qres":
        raise ValueError("not an rcc file")
    version, tree, data, names = struct.unpack(">IIII", blob[4:20])
    node_size = 22 if version >= 2 else 14

    def name_at(offset: int) -> str:
        (length,) = struct.unpack(">H", blob[names + offset:names + offset + 2])
        return blob[names + offset + 6:names + offset + 6 + 2 * length].decode("utf-16-be")

    def walk(index: int, prefix: str) -> Iterator[tuple[str, bytes]]:
        base = tree + index * node_size
        name_offset, flags = struct.unpack(">IH", blob[base:base + 6])
        path = f"{prefix}/{name_at(name_offset)}" if index else prefix
        if flags & 2:  # a directory
            count, first = struct.unpack(">II", blob[base + 6:base + 14])
            for child in range(first, first + count):
                yield from walk(child, path)
            return
        (data_offset,) = struct.unpack(">I", blob[base + 10:base + 14])
        start = data + data_offset
        (size,) = struct.unpack(">I", blob[start:start + 4])
        raw = blob[start + 4:start + 4 + size]
        if flags & 1:  # zlib, after qCompress's 4-byte length
            raw = zlib.decompress(raw[4:])
        elif flags & 4:  # zstd: not in the standard library
            try:
                import zstandard
            except ImportError:
                report(f"    skip zstd-compressed {path}")
                return
            raw = zstandard.ZstdDecompressor().decompress(raw, max_output_size=1 << 30)
        yield path.lstrip("/"), raw

    yield from walk(0, "")
