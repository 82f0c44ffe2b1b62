"""torchbind.t7: Torch7's torch.save / torch.load format.

Oracles: files written by real Lua Torch7 with a JSON description of each (tests/data/t7, see
its README), loaded to their description and saved back byte for byte; the PyPI ``torchfile``
reader as a second, independent reader of what torchbind writes (skipped when absent); Lua
Torch7 itself when a build is found (LUATORCH_PREFIX, skipped otherwise); hand-made files for
every way a file can be bad.
"""

from __future__ import annotations

import copy
import json
import math
import os
import pickle
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ALL_TYPES, module, views

import torchbind.double_tensor as D
import torchbind.float_tensor as F
import torchbind.half_tensor as H
import torchbind.int_tensor as I
import torchbind.long_tensor as L
from torchbind import ffi, t7
from torchbind.file import DiskFile, File, MemoryFile
from torchbind.storage import Storage
from torchbind.tensor import Tensor

DATA = Path(__file__).parent / "data" / "t7"
GOLDEN = sorted(p.stem for p in DATA.glob("*.t7"))
ROOT = Path(__file__).parents[1]


def description(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text())


def options(desc: dict[str, Any]) -> dict[str, Any]:
    return {"format": desc["format"], "long_size": desc["longsize"]}


# ---- comparing a loaded object with a JSON description --------------------------------------


def check(obj: Any, desc: Any, where: str = "<root>") -> None:
    """Asserts that ``obj`` is what ``desc`` (the golden README's description) says."""
    if not isinstance(desc, dict):
        if isinstance(desc, bool) or desc is None:
            assert obj is desc, where
        elif isinstance(desc, (int, float)):
            assert type(obj) is float and obj == desc, (where, obj, desc)
        else:
            assert type(obj) is str and obj == desc, (where, obj, desc)
        return
    kind = desc["kind"]
    if kind == "tensor":
        assert isinstance(obj, Tensor), where
        assert f"torch.{obj.type_name}Tensor" == desc["type"], where
        if desc["shape"]:
            assert obj.shape == tuple(desc["shape"]), where
            np.testing.assert_array_equal(np.asarray(obj).ravel(), desc["values"], err_msg=where)
        else:
            assert obj.numel() == 0 and desc["values"] == [], where
    elif kind == "storage":
        assert isinstance(obj, Storage), where
        assert f"torch.{obj.etype.name}Storage" == desc["type"], where
        np.testing.assert_array_equal(np.asarray(obj), np.asarray(desc["values"]), err_msg=where)
    elif kind == "table":
        entries = desc["entries"]
        keys = [k for k, _ in entries]
        if keys == list(range(1, len(keys) + 1)):
            assert isinstance(obj, list), where
            items = list(zip(range(1, len(obj) + 1), obj, strict=True))
        else:
            assert isinstance(obj, dict), where
            items = list(obj.items())
        got = dict(items)
        assert set(got) == set(keys), (where, set(got), keys)
        for k, v in entries:
            check(got[k], v, f"{where}[{k!r}]")
    elif kind == "object":
        assert isinstance(obj, t7.TorchObject), where
        assert obj.typename == desc["typename"], where
        assert isinstance(obj.fields, dict), where
        check(obj.fields, desc["fields"], where)
    else:
        raise AssertionError(f"unknown kind {kind}")


# ---- the golden files ----------------------------------------------------------------------


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_file_loads_to_its_description(name):
    desc = description(name)
    check(t7.load(DATA / f"{name}.t7", **options(desc)), desc["object"])


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_file_saves_back_byte_for_byte(name, tmp_path):
    desc = description(name)
    raw = (DATA / f"{name}.t7").read_bytes()
    obj = t7.load(DATA / f"{name}.t7", **options(desc))
    assert t7.dumps(obj, **options(desc)) == raw
    t7.save(tmp_path / "back.t7", obj, **options(desc))
    assert (tmp_path / "back.t7").read_bytes() == raw


def test_golden_shared_storage_still_shares_memory():
    o = t7.load(DATA / "shared_storage.t7")
    a, b, c = o["a"], o["b"], o["c"]
    assert a.storage().address == b.storage().address == c.storage().address
    assert (a.storage_offset, b.storage_offset, c.storage_offset) == (0, 2, 0)
    a[2] = 30.0  # storage element 3: b's first, c's third
    assert b[0] == 30.0 and c[2] == 30.0


def test_golden_same_twice_is_one_object():
    o = t7.load(DATA / "same_twice.t7")
    assert isinstance(o, list) and o[0] is o[1]


def test_golden_views_keep_their_geometry():
    t = t7.load(DATA / "noncontiguous.t7")
    assert not t.is_contiguous() and t.strides == (1, 6)
    n = t7.load(DATA / "narrowed.t7")
    assert n.storage_offset > 0 and len(n.storage()) > n.numel()


def test_golden_object_fields_as_attributes_and_items():
    m = t7.load(DATA / "object.t7")
    assert m.typename == "gold.Thing" and m.version == "1"
    assert m.weight is m["weight"] is m.fields["weight"]
    assert m.name == "linear-ish" and m.train is True
    assert {"weight", "bias", "name", "train"} <= set(dir(m))
    with pytest.raises(AttributeError, match="no field 'missing'"):
        m.missing  # noqa: B018


# ---- round trips -----------------------------------------------------------------------------


def values(etype):
    if etype.floating:
        return (np.arange(24).reshape(4, 6) * 0.75 - 7).astype(etype.dtype)
    lo = 0 if etype.dtype.kind == "u" else -12
    return (np.arange(24).reshape(4, 6) + lo).astype(etype.dtype)


FORMATS = [("binary", 8), ("binary", 4), ("ascii", 8), ("ascii", 4)]


@pytest.mark.parametrize("etype", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize("fmt,long_size", FORMATS)
def test_tensors_of_every_type_round_trip(etype, fmt, long_size):
    T = module(etype)
    for name, t, a in views(T, values(etype)):
        back = t7.loads(t7.dumps(t, format=fmt, long_size=long_size), format=fmt,
                        long_size=long_size)
        assert type(back) is type(t), name
        assert (back.shape, back.strides, back.storage_offset) == (
            t.shape, t.strides, t.storage_offset), name
        assert len(back.storage()) == len(t.storage())
        np.testing.assert_array_equal(np.asarray(back), a, err_msg=name)


@pytest.mark.parametrize("etype", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize("fmt,long_size", FORMATS)
def test_storages_of_every_type_round_trip(etype, fmt, long_size, tmp_path):
    s = module(etype).from_numpy(values(etype)).storage()
    p = tmp_path / "s.t7"
    t7.save(p, s, format=fmt, long_size=long_size)
    back = t7.load(p, format=fmt, long_size=long_size)
    assert type(back) is type(s)
    np.testing.assert_array_equal(np.asarray(back), np.asarray(s))


def test_half_tensor_header_names_the_half_type():
    raw = t7.dumps(H.from_numpy(np.array([1.5, -2], np.float16)))
    assert b"torch.HalfTensor" in raw and b"torch.HalfStorage" in raw
    assert raw.endswith(np.array([1.5, -2], np.float16).tobytes())


def test_empty_tensor_and_storage_round_trip():
    o = t7.loads(t7.dumps([F.empty(0), D.Tensor.storage_class.new(0)]))
    assert o[0].numel() == 0 and o[0].storage() is None and len(o[1]) == 0


@pytest.mark.parametrize("fmt", ["binary", "ascii"])
def test_tensors_over_one_storage_share_memory_after_loading(fmt):
    base = F.from_numpy(np.arange(12, dtype=np.float32).reshape(3, 4))
    obj = {"w": base, "wt": base.t(), "row": base.select(0, 1), "s": base.storage()}
    back = t7.loads(t7.dumps(obj, format=fmt), format=fmt)
    addr = back["w"].storage().address
    assert back["wt"].storage().address == back["row"].storage().address == addr
    assert back["s"].address == addr
    back["w"][1, 2] = 99
    assert back["wt"][2, 1] == 99 and back["row"][2] == 99 and np.asarray(back["s"])[6] == 99
    # the storage is written once: the file holds 12 floats, not 36
    assert t7.dumps(obj).count(np.arange(12, dtype=np.float32).tobytes()) == 1


def test_numbers_strings_booleans_nil():
    obj = {"i": 3, "f": 0.1, "big": 2**53, "neg": -7, "np": np.int16(5), "npf": np.float32(0.5),
           "t": True, "f2": False, "npb": np.bool_(True), "s": "héllo", "e": "",
           "b": b"\xff\xfe", "ba": bytearray(b"ok"), "none": None}
    back = t7.loads(t7.dumps(obj))
    assert back == {"i": 3.0, "f": 0.1, "big": float(2**53), "neg": -7.0, "np": 5.0,
                    "npf": 0.5, "t": True, "f2": False, "npb": True, "s": "héllo", "e": "",
                    "b": b"\xff\xfe", "ba": "ok"}
    assert all(type(back[k]) is float for k in ("i", "big", "np", "npf"))
    assert t7.loads(t7.dumps(None)) is None and t7.loads(t7.dumps(2.5)) == 2.5


def test_tables_lists_and_dicts():
    obj = {"list": [1, "a", [2.0]], "tuple": (1, 2), "holes": {1: "a", 3: "c"},
           "zero": {0: "z", 1: "a"}, "floatkey": {1.5: "x", 2.0: "two"}, "boolkey": {True: 1},
           "empty": [], "emptyd": {}, "none_in_list": [1, None, 3]}
    back = t7.loads(t7.dumps(obj))
    assert back["list"] == [1.0, "a", [2.0]] and back["tuple"] == [1.0, 2.0]
    assert back["holes"] == {1: "a", 3: "c"} and back["zero"] == {0: "z", 1: "a"}
    assert back["floatkey"] == {1.5: "x", 2: "two"} and type(list(back["floatkey"])[1]) is int
    assert back["boolkey"] == {True: 1.0}
    assert back["empty"] == [] and back["emptyd"] == []  # Lua has one empty table
    assert back["none_in_list"] == {1: 1.0, 3: 3.0}  # nil in Lua: the entry is absent


def test_shared_and_cyclic_objects():
    shared = {"x": 1}
    lst: list[Any] = [1]
    lst.append(lst)
    d: dict[str, Any] = {}
    d["me"] = d
    m = t7.TorchObject("nn.Module", {})
    m.parent = m
    back = t7.loads(t7.dumps({"a": shared, "b": shared, "lst": lst, "d": d, "m": m}))
    assert back["a"] is back["b"]
    assert back["d"]["me"] is back["d"]
    assert back["m"].parent is back["m"]
    # a table that contains itself stays a dict, so that the inner reference is the same object
    assert isinstance(back["lst"], dict) and back["lst"][2] is back["lst"]


def test_torch_object_round_trip_and_protocol():
    w = D.from_numpy(np.eye(2))
    m = t7.TorchObject("nn.Linear", {"weight": w, "gradWeight": w, "train": True}, version="2")
    assert m.weight is w and m["train"] is True and "train" in m and len(m) == 3
    m.bias = D.zeros(2)
    m["extra"] = "x"
    del m.extra
    assert list(m) == ["weight", "gradWeight", "train", "bias"] and "Linear" in repr(m)
    back = t7.loads(t7.dumps(m))
    assert back.typename == "nn.Linear" and back.version == "2"
    assert back.weight is back.gradWeight and back.bias.tolist() == [0.0, 0.0]
    clone = copy.deepcopy(m)
    assert clone.typename == "nn.Linear" and clone.version == "2" and clone.fields is not m.fields
    assert pickle.loads(pickle.dumps(t7.TorchObject("nn.ReLU", {"p": 0.5}))).p == 0.5
    legacy = t7.TorchObject("my.Old", {"a": 1}, version=None)
    raw = t7.dumps(legacy)
    assert b"V " not in raw
    assert t7.loads(raw).version is None and t7.loads(raw).a == 1.0


def test_numpy_arrays_save_as_tensors():
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    back = t7.loads(t7.dumps({"a": a, "again": a, "h": np.ones(2, np.float16)}))
    assert isinstance(back["a"], I.Tensor) and back["a"].tolist() == a.tolist()
    assert back["again"] is back["a"] and isinstance(back["h"], H.Tensor)


@pytest.mark.parametrize("fmt,long_size", FORMATS)
def test_several_objects_in_one_open_file_refer_to_each_other(fmt, long_size, tmp_path):
    t = F.from_numpy(np.arange(3, dtype=np.float32))
    p = tmp_path / "many.t7"
    with DiskFile(p, "w") as f:
        t7.save(f, {"t": t}, format=fmt, long_size=long_size)
        t7.save(f, t, format=fmt, long_size=long_size)  # as Lua: a reference to the first's
        t7.save(f, "end", format=fmt, long_size=long_size)
    with DiskFile(p, "r") as f:
        first = t7.load(f, format=fmt, long_size=long_size)
        second = t7.load(f, format=fmt, long_size=long_size)
        assert t7.load(f, format=fmt, long_size=long_size) == "end"
    assert second is first["t"]
    with MemoryFile("rw") as f:
        t7.save(f, [1, 2], format=fmt, long_size=long_size)
        f.seek(0)
        assert t7.load(f, format=fmt, long_size=long_size) == [1.0, 2.0]


def test_reading_again_after_a_seek_starts_afresh():
    """Objects are remembered across calls only while the calls follow each other: after a
    seek back, the same bytes load again (not a reference to what the first call loaded)."""
    with MemoryFile("rw") as f:
        t7.save(f, {"a": [1]})
        f.seek(0)
        first = t7.load(f)
        f.seek(0)
        second = t7.load(f)
    assert first == second == {"a": [1.0]} and first is not second


def test_deep_nesting_raises_instead_of_overflowing():
    deep: list[Any] = []
    x = deep
    for _ in range(5000):
        x.append([])
        x = x[0]
    with pytest.raises(t7.T7UnwritableError, match=r"nested deeper than \d+ levels"):
        t7.dumps(deep)
    raw = b"".join(table(i + 1, 1, number(1)) for i in range(5000)) + table(5001, 0, b"")
    with pytest.raises(t7.T7UnsupportedError, match=r"nested deeper than \d+ levels.*\.\.\."):
        t7.loads(raw)
    shallow = b"".join(table(i + 1, 1, number(1)) for i in range(100)) + table(101, 0, b"")
    assert isinstance(t7.loads(shallow), list)


def test_files_in_the_wrong_mode_raise_oserror(tmp_path):
    p = tmp_path / "x.t7"
    t7.save(p, [1])
    with DiskFile(p, "w") as f, pytest.raises(OSError, match="write-only"):
        t7.load(f)
    with DiskFile(p, "r") as f, pytest.raises(OSError, match="read-only"):
        t7.save(f, 1)
    f = DiskFile(p, "r")
    f.close()
    with pytest.raises(OSError, match="closed"):
        t7.load(f)


def lua_view(x: Any) -> Any:
    """What loading a saved Python value gives back: the mapping table of the module's doc."""
    if isinstance(x, bool):
        return x
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, bytes):
        try:
            return x.decode("utf-8")
        except UnicodeDecodeError:
            return x
    if isinstance(x, (list, dict)):
        items = x.items() if isinstance(x, dict) else enumerate(x, 1)
        d = {(int(k) if isinstance(k, float) and k.is_integer() else k): lua_view(v)
             for k, v in items if v is not None}
        if all(type(k) is int for k in d) and (not d or (min(d) == 1 and max(d) == len(d))):
            return [d[k] for k in range(1, len(d) + 1)]
        return d
    return x


def test_random_tables_round_trip():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    leaves = (st.none() | st.booleans() | st.integers(-2**53, 2**53)
              | st.floats(allow_nan=False) | st.text(max_size=8) | st.binary(max_size=8))
    keys = (st.text(max_size=6) | st.integers(-3, 6) | st.floats(allow_nan=False)
            | st.booleans())
    values = st.recursive(leaves, lambda c: st.lists(c, max_size=5)
                          | st.dictionaries(keys, c, max_size=5), max_leaves=20)

    @hypothesis.settings(max_examples=100, deadline=None)
    @hypothesis.given(values, st.sampled_from(FORMATS))
    def round_trip(x: Any, fmt: tuple[str, int]) -> None:
        opts = {"format": fmt[0], "long_size": fmt[1]}
        assert t7.loads(t7.dumps(x, **opts), **opts) == lua_view(x)

    round_trip()


# ---- what cannot be written ------------------------------------------------------------------


@pytest.mark.parametrize("obj,where,what", [
    ({"a": [1, {2, 3}]}, r"<root>\['a'\]\[2\]", "set has no Torch7 form"),
    ([1j], r"<root>\[1\]", "complex"),
    ({"k": {float("nan"): 1}}, r"<root>\['k'\]\[nan\]", "NaN key"),
    ({(1, 2): 1}, r"<root>\[\(1, 2\)\]", "key of type tuple"),
    ({"n": 2**53 + 1}, r"<root>\['n'\]", "not exactly a Lua number"),
    (t7.TorchObject("torch.FloatTensor", {}), "<root>", "cannot be a torch.FloatTensor"),
    (t7.TorchObject("not a name", {}), "<root>", "not a Torch7 class name"),
    ({"m": t7.TorchObject("nn.X", {"f": object()})}, r"<root>\['m'\]\.f", "object"),
    (np.zeros(2, np.complex64), "<root>", "dtype complex64"),
])
def test_unwritable_objects_raise_naming_where(obj, where, what):
    with pytest.raises(t7.T7UnwritableError, match=f"{what}.*at {where}$") as e:
        t7.dumps(obj)
    assert isinstance(e.value, TypeError) and isinstance(e.value, ValueError)


def test_long_size_4_refuses_longs_that_do_not_fit():
    big = L.from_numpy(np.array([1, 2**40]))
    with pytest.raises(t7.T7UnwritableError, match="1099511627776.*long_size=4"):
        t7.dumps(big, long_size=4)
    assert t7.loads(t7.dumps(big)).tolist() == [1, 2**40]


def test_bad_options():
    with pytest.raises(ValueError, match="format"):
        t7.dumps(1, format="b64")
    with pytest.raises(ValueError, match="long_size"):
        t7.loads(b"", long_size=2)


# ---- bad files -------------------------------------------------------------------------------


def i32(v: int) -> bytes:
    return struct.pack("=i", v)


def i64(v: int) -> bytes:
    return struct.pack("=q", v)


def lstr(b: bytes) -> bytes:
    return i32(len(b)) + b


def number(x: float) -> bytes:
    return i32(1) + struct.pack("=d", x)


def string(b: bytes) -> bytes:
    return i32(2) + lstr(b)


def torch_header(index: int, name: bytes) -> bytes:
    return i32(4) + i32(index) + lstr(b"V 1") + lstr(name)


def storage(index: int, name: bytes, n: int, data: bytes = b"") -> bytes:
    return torch_header(index, name) + i64(n) + data


def tensor(index: int, name: bytes, sizes: list[int], strides: list[int], offset: int,
           storage_obj: bytes) -> bytes:
    return (torch_header(index, name) + i32(len(sizes)) + b"".join(map(i64, sizes))
            + b"".join(map(i64, strides)) + i64(offset) + storage_obj)


def table(index: int, n: int, body: bytes) -> bytes:
    return i32(3) + i32(index) + i32(n) + body


FLOATS = np.arange(4, dtype=np.float32).tobytes()


def test_hand_made_file_loads():
    """The builders above write what Lua writes (checked here, so the bad files below differ
    from a good one in the one way each names)."""
    raw = table(1, 1, string(b"w") + tensor(
        2, b"torch.FloatTensor", [2, 2], [2, 1], 1, storage(3, b"torch.FloatStorage", 4, FLOATS)))
    assert t7.loads(raw)["w"].tolist() == [[0, 1], [2, 3]]
    assert t7.dumps(t7.loads(raw)) == raw


BAD_FILES = {
    "empty": (b"", t7.T7TruncatedError, "the file ends where a type id should be"),
    "unknown type id": (i32(9), t7.T7FormatError, "unknown type id 9"),
    "a function": (table(1, 1, string(b"f") + i32(6) + lstr(b"\x1bLJ") + i32(0)),
                   t7.T7UnsupportedError, r"Lua function .* at <root>\['f'\]"),
    "a recursive function": (table(1, 1, number(1) + i32(8) + i32(2) + lstr(b"\x1bLJ")),
                             t7.T7UnsupportedError, r"Lua function .* at <root>\[1\]"),
    "a reference to nothing": (table(1, 1, string(b"x") + i32(3) + i32(7)),
                               t7.T7FormatError,
                               r"reference to object #7, .*object is #2\).* <root>\['x'\]"),
    "unknown tensor type": (storage(1, b"torch.QuuxStorage", 1, b"\0" * 8),
                            t7.T7UnsupportedError, "cannot load torch.QuuxStorage"),
    "a generator": (torch_header(1, b"torch.Generator") + b"\0" * 64,
                    t7.T7UnsupportedError, "random generator"),
    "CUDA half": (storage(1, b"torch.CudaHalfStorage", 0), t7.T7UnsupportedError,
                  "CudaHalfStorage"),
    "garbage class name": (torch_header(1, b"\x01\x02garbage"), t7.T7FormatError,
                           "not a Torch7 class name"),
    "2^62 floats": (storage(1, b"torch.FloatStorage", 2**62, FLOATS), t7.T7TruncatedError,
                    f"needs {2**64} bytes but the file has 16 left"),
    "2^62 longs, long_size 8": (storage(1, b"torch.LongStorage", 2**62), t7.T7TruncatedError,
                                "needs 36893488147419103232 bytes"),
    "negative storage size": (storage(1, b"torch.FloatStorage", -5), t7.T7FormatError,
                              r"size of a torch.FloatStorage is negative \(-5\)"),
    "short storage": (storage(1, b"torch.DoubleStorage", 3, b"\0" * 20), t7.T7TruncatedError,
                      "needs 24 bytes but the file has 20 left"),
    "2^31-1 long string": (i32(2) + i32(2**31 - 1) + b"abc", t7.T7TruncatedError,
                           "the length of a string of 2147483647 needs"),
    "negative string length": (i32(2) + i32(-1), t7.T7FormatError, "is negative"),
    "2^31-1 table entries": (table(1, 2**31 - 1, number(1)), t7.T7TruncatedError,
                             "the table's size of 2147483647 needs"),
    "negative table size": (table(1, -3, b""), t7.T7FormatError, "table's size is negative"),
    "huge nDimension": (tensor(1, b"torch.FloatTensor", [], [], 1, b"")[:-12] + i32(2**31 - 1),
                        t7.T7FormatError, "with 2147483647 dimensions"),
    "negative nDimension": (torch_header(1, b"torch.FloatTensor") + i32(-1), t7.T7FormatError,
                            "with -1 dimensions"),
    "sizes past the storage": (tensor(1, b"torch.FloatTensor", [2**40, 4], [4, 1], 1,
                                      storage(2, b"torch.FloatStorage", 4, FLOATS)),
                               t7.T7FormatError, "reaches element .* of a storage of 4"),
    "2^80 elements over one": (tensor(1, b"torch.FloatTensor", [2**40, 2**40], [0, 0], 1,
                                      storage(2, b"torch.FloatStorage", 4, FLOATS)),
                               t7.T7FormatError, "more elements than a C long counts"),
    "offset past the storage": (tensor(1, b"torch.FloatTensor", [1], [1], 5,
                                       storage(2, b"torch.FloatStorage", 4, FLOATS)),
                                t7.T7FormatError, "reaches element 5 of a storage of 4"),
    "offset 0": (tensor(1, b"torch.FloatTensor", [1], [1], 0,
                        storage(2, b"torch.FloatStorage", 4, FLOATS)),
                 t7.T7FormatError, "storage offset 0"),
    "negative stride": (tensor(1, b"torch.FloatTensor", [2], [-1], 4,
                               storage(2, b"torch.FloatStorage", 4, FLOATS)),
                        t7.T7FormatError, "strides"),
    "zero size": (tensor(1, b"torch.FloatTensor", [0], [1], 1,
                         storage(2, b"torch.FloatStorage", 4, FLOATS)),
                  t7.T7FormatError, "sizes are positive"),
    "no storage": (tensor(1, b"torch.FloatTensor", [2], [1], 1, i32(0)), t7.T7FormatError,
                   "has no storage"),
    "wrong storage type": (tensor(1, b"torch.FloatTensor", [2], [1], 1,
                                  storage(2, b"torch.IntStorage", 4, FLOATS)),
                           t7.T7FormatError, "is a torch.IntStorage, not a torch.FloatStorage"),
    "tensor as its own storage": (tensor(1, b"torch.FloatTensor", [2], [1], 1, i32(4) + i32(1)),
                                  t7.T7FormatError, "is a FloatTensor, not a torch.FloatStorage"),
    "nil key": (table(1, 1, i32(0) + number(1)), t7.T7FormatError, "a table key is nil"),
    "table as a key": (table(1, 1, table(2, 0, b"") + number(1)), t7.T7UnsupportedError,
                       "cannot be a Python dict key"),
    "true and 1": (table(1, 2, number(1) + number(1) + i32(5) + i32(1) + number(2)),
                   t7.T7UnsupportedError, "key 1 and also the key True"),
    "fields not a table": (torch_header(1, b"nn.Linear") + number(1), t7.T7FormatError,
                           "fields of a nn.Linear are not a table"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_raises_a_clear_error(name, tmp_path):
    raw, cls, pattern = BAD_FILES[name]
    for load in (lambda: t7.loads(raw),
                 lambda: t7.load(tmp_path.joinpath("bad.t7"), format="binary")):
        tmp_path.joinpath("bad.t7").write_bytes(raw)
        with pytest.raises(cls, match=pattern) as e:
            load()
        assert isinstance(e.value, ValueError) and "byte" in str(e.value)


def test_cuda_tensors_load_on_the_cpu():
    raw = tensor(1, b"torch.CudaTensor", [2], [1], 1, storage(2, b"torch.CudaStorage", 4, FLOATS))
    t = t7.loads(raw)
    assert isinstance(t, F.Tensor) and t.tolist() == [0.0, 1.0]


def test_legacy_files_without_versions_load():
    raw = i32(4) + i32(1) + lstr(b"torch.FloatStorage") + i64(4) + FLOATS
    assert t7.loads(raw).tolist() == [0.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize("name", GOLDEN)
def test_every_truncation_of_a_golden_file_raises(name):
    desc = description(name)
    raw = (DATA / f"{name}.t7").read_bytes()
    binary = desc["format"] == "binary"
    # (ascii: the newline after the last value is not needed)
    for n in range(len(raw) if binary else len(raw.rstrip(b"\n"))):
        with pytest.raises(t7.T7TruncatedError if binary else t7.T7Error):
            t7.loads(raw[:n], **options(desc))


@pytest.mark.parametrize("name", GOLDEN)
def test_wrong_format_raises(name):
    desc = description(name)
    raw = (DATA / f"{name}.t7").read_bytes()
    other = "ascii" if desc["format"] == "binary" else "binary"
    with pytest.raises(t7.T7FormatError):
        t7.loads(raw, format=other)


def test_corrupted_files_raise_or_load_never_crash():
    """Every byte of every golden file set to a few values: each load returns an object or
    raises a T7Error (nothing else, no crash, no huge allocation)."""
    rng = np.random.default_rng(1)
    outcomes = {"loaded": 0, "refused": 0}
    for name in GOLDEN:
        desc = description(name)
        raw = bytearray((DATA / f"{name}.t7").read_bytes())
        for i in range(len(raw)):
            for v in (0, 0xFF, 0x7F, int(rng.integers(256))):
                bad = raw.copy()
                bad[i] = v
                try:
                    t7.loads(bytes(bad), **options(desc))
                    outcomes["loaded"] += 1
                except t7.T7Error:
                    outcomes["refused"] += 1
    assert outcomes["refused"] > 1000 and outcomes["loaded"] > 0


def test_pipes_read_in_pieces(tmp_path, monkeypatch):
    """A file of unknown length (a pipe): a storage or string grows as its data arrives, so
    that a bogus size allocates no more than the data there is plus one piece."""
    if shutil.which("cat") is None:
        pytest.skip("no cat")
    monkeypatch.setattr(t7, "_CHUNK", 1024)
    good = tmp_path / "good.t7"
    t7.save(good, {"x": F.from_numpy(np.arange(1000, dtype=np.float32)), "s": "y" * 5000})
    bad = tmp_path / "bad.t7"
    bad.write_bytes(storage(1, b"torch.FloatStorage", 2**40, FLOATS))

    def pipe(path: Path) -> File:
        return File(ffi.TH.THPipeFile_new(f"cat {path}", "r", 0))

    o = t7.load(pipe(good))
    assert o["x"].tolist() == list(range(1000)) and o["s"] == "y" * 5000
    with pytest.raises(t7.T7TruncatedError, match=r"read 4 of 1099511627776 elements\), at"):
        t7.load(pipe(bad))


def test_missing_file_and_directory_raise_oserror(tmp_path):
    with pytest.raises(FileNotFoundError):
        t7.load(tmp_path / "nope.t7")
    with pytest.raises(OSError):
        t7.load(tmp_path)


def test_a_failed_load_leaves_the_file_usable(tmp_path):
    p = tmp_path / "x.t7"
    p.write_bytes(i32(9))
    with DiskFile(p, "r") as f:
        with pytest.raises(t7.T7FormatError):
            t7.load(f)
        assert not f.has_error()
        f.seek(0)
        f.binary()
        assert f.read(I, 1).tolist() == [9]  # the file is pedantic again: reads past the end
        with pytest.raises(OSError):
            f.read(I, 1)


# ---- speed -----------------------------------------------------------------------------------


def test_a_big_tensor_loads_with_one_read(tmp_path):
    """A loose guard (the README's figure is from scripts/bench_t7.py at 256 MiB): no per-element
    Python work, so loading takes about numpy.fromfile's time, not 100 times it."""
    n = 8 << 20  # 32 MiB of floats
    p = tmp_path / "big.t7"
    t7.save(p, F.from_numpy(np.ones(n, np.float32)))
    header = p.stat().st_size - 4 * n
    best_t7 = best_np = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        t = t7.load(p)
        t1 = time.perf_counter()
        a = np.fromfile(p, np.float32, offset=header)
        t2 = time.perf_counter()
        best_t7, best_np = min(best_t7, t1 - t0), min(best_np, t2 - t1)
    assert t.numel() == a.size == n and float(t[n - 1]) == 1.0
    assert best_t7 < 4 * best_np + 0.02, (best_t7, best_np)


# ---- second readers: torchfile (PyPI) and Lua Torch7 -----------------------------------------


def sample_objects() -> dict[str, Any]:
    w = F.from_numpy(np.arange(12, dtype=np.float32).reshape(3, 4))
    out: dict[str, Any] = {
        "weights": w, "transposed": w.t(), "narrowed": w.narrow(0, 1, 2), "n": 3,
        "s": "héllo", "flag": True, "list": [1, 2, [3]], "nested": {"a": {"b": 0.5}},
        "module": t7.TorchObject("nn.Linear", {"weight": w, "bias": D.zeros(3), "train": False}),
        "storage": I.from_numpy(np.array([5, 6, 7], np.int32)).storage(),
    }
    for etype in ALL_TYPES:
        if etype.name != "Half":  # torchfile has no Half
            out[etype.name] = module(etype).from_numpy(values(etype)).t()
    return out


def test_torchfile_reads_what_torchbind_writes(tmp_path):
    torchfile = pytest.importorskip("torchfile")
    obj = sample_objects()
    p = tmp_path / "x.t7"
    t7.save(p, obj)
    got = torchfile.load(str(p), utf8_decode_strings=True)

    def same(a: Any, b: Any, where: str) -> None:
        if isinstance(a, Tensor):
            np.testing.assert_array_equal(b, np.asarray(a), err_msg=where)
            assert b.dtype == a.dtype, where
        elif isinstance(a, Storage):
            np.testing.assert_array_equal(b, np.asarray(a), err_msg=where)
        elif isinstance(a, t7.TorchObject):
            assert b.torch_typename() == a.typename.encode()
            same(a.fields, b._obj, where)
        elif isinstance(a, dict):
            assert set(b) == set(a), where
            for k in a:
                same(a[k], b[k], f"{where}[{k!r}]")
        elif isinstance(a, list):
            assert len(b) == len(a), where
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                same(x, y, f"{where}[{i}]")
        else:
            assert b == a, where

    same(obj, got, "<root>")
    # torchfile gives the shared storage once too: the transposed view sees the same memory
    assert np.shares_memory(got["weights"], got["transposed"])


def _lua() -> list[str] | None:
    prefix = os.environ.get("LUATORCH_PREFIX")
    if not prefix:
        return None
    luajit = Path(prefix) / "bin" / "luajit"
    if not luajit.exists():
        return None
    probe = subprocess.run([str(luajit), "-e", "require 'torch'"], capture_output=True,
                           timeout=120)
    return [str(luajit)] if probe.returncode == 0 else None


LUA_DESCRIBE = r"""
require 'torch'
local function describe(o, out, seen)
  local t = torch.type(o)
  if t == 'table' then
    local keys = {}
    for k in pairs(o) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    out[#out + 1] = '{'
    for _, k in ipairs(keys) do
      out[#out + 1] = tostring(k) .. '='
      describe(o[k], out, seen)
    end
    out[#out + 1] = '}'
  elseif t:match('Tensor$') then
    out[#out + 1] = t .. '(' .. table.concat(o:size():totable(), 'x') .. ')'
    if o:nElement() > 0 then
      local flat = o:contiguous():view(o:nElement())
      for i = 1, o:nElement() do out[#out + 1] = string.format('%.6g', flat[i]) end
    end
  elseif t:match('Storage$') then
    out[#out + 1] = t
    for i = 1, o:size() do out[#out + 1] = string.format('%.6g', o[i]) end
  elseif type(o) == 'table' then
    out[#out + 1] = t
    describe(o.__fields or (function() local f = {}; for k, v in pairs(o) do f[k] = v end
                                       return f end)(), out, seen)
  else
    out[#out + 1] = tostring(o)
  end
end
nn = {}
torch.class('nn.Linear')
local o = torch.load(arg[1], arg[2])
local out = {}
describe(o, out, {})
print(table.concat(out, ' '))
if o.weights then print('shared', torch.pointer(o.weights:storage()) ==
                             torch.pointer(o.transposed:storage())) end
"""


def lua_describe(obj: Any) -> str:
    """What LUA_DESCRIBE prints for the object Lua loads, computed from the Python side."""
    out: list[str] = []

    def key(k: Any) -> str:
        return k if isinstance(k, str) else f"{k:.14g}"

    def go(o: Any) -> None:
        if isinstance(o, Tensor):
            shape = "x".join(map(str, o.shape)) if o.numel() else ""
            out.append(f"torch.{o.type_name}Tensor({shape})")
            out.extend(f"{v:.6g}" for v in np.asarray(o, np.float64).ravel())
        elif isinstance(o, Storage):
            out.append(f"torch.{o.etype.name}Storage")
            out.extend(f"{v:.6g}" for v in np.asarray(o, np.float64))
        elif isinstance(o, t7.TorchObject):
            out.append(o.typename)
            go(o.fields)
        elif isinstance(o, (dict, list)):
            items = o.items() if isinstance(o, dict) else enumerate(o, 1)
            out.append("{")
            for k, v in sorted(items, key=lambda kv: key(kv[0])):
                out.append(f"{key(k)}=")
                go(v)
            out.append("}")
        elif isinstance(o, bool):
            out.append("true" if o else "false")
        elif isinstance(o, (int, float)):
            out.append(f"{o:.14g}")
        else:
            out.append(str(o))

    go(obj)
    return " ".join(out)


@pytest.mark.parametrize("fmt,long_size,lua_mode", [
    ("binary", 8, "binary"), ("ascii", 8, "ascii"), ("binary", 4, "b32")])
def test_lua_torch7_loads_what_torchbind_writes(fmt, long_size, lua_mode, tmp_path):
    """Lua's torch.load reads torchbind's file to the same object (Half included), with the
    storage shared; Lua's torch.save of what it loaded reads back in Python the same again."""
    lua = _lua()
    if lua is None:
        pytest.skip("no Lua Torch7 build (set LUATORCH_PREFIX; see ../shared/luatorch)")
    obj = sample_objects()
    obj["Half"] = H.from_numpy(values(H.ELEMENT_TYPE))
    obj["empty"] = [F.empty(0), "", {}]
    p = tmp_path / "x.t7"
    t7.save(p, obj, format=fmt, long_size=long_size)
    script = tmp_path / "describe.lua"
    script.write_text(LUA_DESCRIBE)
    out = subprocess.run(lua + [str(script), str(p), lua_mode], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [lua_describe(obj), "shared\ttrue"]
    again = tmp_path / "again.t7"
    resave = tmp_path / "resave.lua"
    resave.write_text(f"require 'torch'; nn = {{}}; torch.class('nn.Linear'); "
                      f"torch.save(arg[2], torch.load(arg[1], '{lua_mode}'), '{fmt}')")
    r = subprocess.run(lua + [str(resave), str(p), str(again)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    back = t7.load(again, format=fmt)
    assert lua_describe(back) == lua_describe(obj)
    assert back["module"].weight.storage().address == back["weights"].storage().address


# ---- the example -----------------------------------------------------------------------------


def test_example_script_runs(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "t7_model.py"),
                          str(tmp_path / "out.t7")], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert "weight" in out.stdout and (tmp_path / "out.t7").exists()
