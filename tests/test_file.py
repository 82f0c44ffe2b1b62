"""THFile through Python: disk and memory files, ascii and binary, every type, read1dFile."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import ALL_TYPES, module

from torchbind import ffi
from torchbind.file import DiskFile, MemoryFile


def values(etype):
    if etype.name in ("Byte", "Char"):
        return np.frombuffer(b"hello, TH", np.uint8).astype(etype.dtype)
    return (np.arange(-4, 5) * (1.5 if etype.floating else 3)).astype(etype.dtype)


@pytest.mark.parametrize("etype", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize("binary", [False, True], ids=["ascii", "binary"])
def test_round_trip_disk(tmp_path, etype, binary):
    T = module(etype)
    v = values(etype)
    p = tmp_path / "data"
    with DiskFile(p, "w") as f:
        if binary:
            f.binary()
        assert f.write(T.from_numpy(v)) == len(v)
    with DiskFile(p, "r") as f:
        if binary:
            f.binary()
        np.testing.assert_array_equal(np.asarray(f.read(T, len(v))), v)
    if binary:
        assert p.stat().st_size == v.nbytes


@pytest.mark.parametrize("etype", ALL_TYPES, ids=lambda t: t.name)
def test_round_trip_memory(etype):
    T = module(etype)
    v = values(etype)
    for binary in (False, True):
        with MemoryFile("rw") as f:
            if binary:
                f.binary()
            f.write(T.from_numpy(v[::2]))  # a strided tensor is written in order
            f.seek(0)
            np.testing.assert_array_equal(np.asarray(f.read(T, len(v[::2]))), v[::2])


def test_ascii_text_is_numbers(tmp_path):
    import torchbind.double_tensor as D
    p = tmp_path / "t"
    with DiskFile(p, "w") as f:
        f.write(D.from_numpy(np.array([0.1, 2.0, -3.5])))
    assert [float(x) for x in p.read_text().split()] == [0.1, 2.0, -3.5]


def test_read1dfile_every_type(tmp_path):
    p = tmp_path / "x"
    p.write_text("1 2 3 4 5 6 7 8 9 10\n")
    for etype in ALL_TYPES:
        t = module(etype).read1dFile(p, 10)
        if etype.name in ("Byte", "Char"):  # a Byte/Char file is text: character codes
            assert np.asarray(t).tolist() == list(b"1 2 3 4 5 ")
        else:
            assert np.asarray(t).tolist() == list(range(1, 11))


def test_big_endian_and_long_size(tmp_path):
    import torchbind.int_tensor as I
    import torchbind.long_tensor as L
    p = tmp_path / "be"
    f = DiskFile(p, "w").binary()
    ffi.TH.THDiskFile_bigEndianEncoding(f)
    f.write(I.from_numpy(np.array([1, 256], np.int32)))
    f.close()
    assert p.read_bytes() == b"\x00\x00\x00\x01\x00\x00\x01\x00"
    q = tmp_path / "l4"
    f = DiskFile(q, "w").binary()
    ffi.TH.THDiskFile_longSize(f, 4)
    f.write(L.from_numpy(np.array([-2, 7], np.int64)))
    f.close()
    assert q.stat().st_size == 8
    g = DiskFile(q, "r").binary()
    ffi.TH.THDiskFile_longSize(g, 4)
    assert np.asarray(g.read(L, 2)).tolist() == [-2, 7]
    g.close()


def test_quiet_short_read_sets_error(tmp_path):
    import torchbind.float_tensor as F
    p = tmp_path / "s"
    p.write_text("1 2")
    f = DiskFile(p, "r", quiet=True)
    s = F.Storage.new(5)
    assert f.read_storage(s) == 2 and f.has_error()
    f.clear_error()
    assert not f.has_error()
    f.close()


def test_scalars_strings_and_positions():
    f = MemoryFile("rw")
    ffi.TH.THFile_writeIntScalar(f, 42)
    ffi.TH.THFile_writeDoubleScalar(f, 2.5)
    ffi.TH.THFile_writeStringRaw(f, b"line one\nrest", 13)
    f.seek(0)
    assert ffi.TH.THFile_readIntScalar(f) == 42
    assert ffi.TH.THFile_readDoubleScalar(f) == 2.5
    assert f.position() > 0
    f.close()


def test_file_errors(tmp_path):
    import torchbind.float_tensor as F
    with pytest.raises(ValueError):
        DiskFile(tmp_path / "x", "a")
    with pytest.raises(FileNotFoundError):
        DiskFile(tmp_path / "missing", "r")
    p = tmp_path / "w"
    f = DiskFile(p, "w")
    with pytest.raises(OSError):
        f.read(F, 1)  # write-only file
    f.close()
    with pytest.raises(OSError, match="closed"):
        ffi.TH.THFile_writeFloatScalar(f, 1.0)
    with pytest.raises(ValueError):
        f.seek(-1)


def test_memory_file_storage_holds_the_text():
    import torchbind.int_tensor as I
    f = MemoryFile("w")
    f.write(I.from_numpy(np.array([1, 2, 3], np.int32)))
    ptr = ffi.TH.THMemoryFile_storage(f)
    n = ffi.TH.THCharStorage_size(ptr)
    data = ffi.TH.THCharStorage_data(ptr)
    text = bytes((data[i] & 0xFF) for i in range(n - 1))
    assert text.split() == [b"1", b"2", b"3"]
    f.close()


def test_reading_and_writing_nothing():
    """Found by the fuzzer under UBSan: a 0-element storage has no data pointer, and it reached
    memcpy. Reading or writing nothing now returns 0 before the file is touched."""
    import torchbind.float_tensor as F
    f = MemoryFile("rw")
    s = F.Storage.new(0)
    assert f.write(F.empty()) == 0 and f.read_storage(s) == 0 and not f.has_error()
    f.close()
