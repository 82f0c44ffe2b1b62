"""The library exports the API table: names, and (through the generated wrappers, which the
compiler checks against our headers) the table's return and parameter types."""

from __future__ import annotations

import re

from torchbind import _apitable, ffi

# Issue 2's slice of the table: every row of these families must be exported for every listed type.
FOUNDATION = [
    r"^TH(Alloc|Realloc|Free)$", r"^THSet\w*ErrorHandler$", r"^TH[GS]etNumThreads$",
    r"^THSetGCHandler$", r"^THHeapUpdate$", r"^THGetNumCores$", r"^THInferNumThreads$",
    r"^_TH(Error|ArgCheck|AssertionFailed|SizeDesc)$",
    r"^TH<T>Storage_", r"^THFile_", r"^THDiskFile_", r"^THMemoryFile_", r"^TH_(float|half)",
    r"^TH<T>Tensor_(new\w*|free|freeCopyTo|retain|storage|storageOffset|nDimension|size|stride"
    r"|data|desc|sizeDesc|setFlag|clearFlag|resize\w*|set|setStorage\w*|narrow|select|transpose"
    r"|unfold|squeeze\w*|unsqueeze1d|expand\w*|isContiguous|isSameSizeAs|isSetTo|isSize|nElement"
    r"|[gs]et[1-4]d|copy\w*)$",
    r"^TH<T>Tensor_(fill|zero|dot|sumall|prodall|maxall|minall|add|sub|mul|div|cadd|csub|cmul"
    r"|cdiv|addmm|addmv|numel)$",
]


def _rows():
    text = _apitable.TH_TABLE.read_text().splitlines()[1:]
    return [line.split("\t") for line in text if line.strip()]


def test_table_is_what_the_readme_says():
    protos = _apitable.load()
    assert len(_rows()) == 510
    table = _apitable.Table()
    upstream = [p for p in protos if not table.is_extension(p.symbol)]
    assert len(upstream) == 2337
    assert len({p.symbol for p in upstream}) == 2337
    # torchbind's own functions (th_ext.tsv): 3 rows for every type, Half included, and 2 for
    # the seven math types
    assert sorted(table.extension_rows) == [
        "TH<T>Storage_pin", "TH<T>Storage_unpin", "TH<T>Tensor_newCadd", "TH<T>Tensor_newCmul",
        "TH<T>Tensor_newWithForeignData"]
    assert len(protos) - len(upstream) == 3 * 8 + 2 * 7


def test_foundation_rows_are_all_exported():
    missing = []
    for symbol, _ret, _params, types in _rows():
        if not any(re.search(p, symbol) for p in FOUNDATION):
            continue
        for t in types.split(",") if "<T>" in symbol else [None]:
            name = symbol.replace("<T>", t) if t else symbol
            if not hasattr(ffi.lib, name):
                missing.append(name)
    assert not missing, f"{len(missing)} foundation symbols missing: {missing[:20]}"


def test_whole_table_is_exported(capsys):
    exported = ffi.exported()
    with capsys.disabled():
        print(f"\n[coverage] libTH exports {len(exported)} of {len(ffi.PROTOTYPES)} table symbols")
    missing = sorted(set(ffi.PROTOTYPES) - set(exported))
    assert not missing, f"{len(missing)} missing: {missing[:20]}"


def test_no_symbol_beyond_the_table_and_extensions():
    """The version script keeps internals (the _impl functions) out of the dynamic table."""
    import subprocess
    out = subprocess.run(["nm", "-D", "--defined-only", str(ffi.LIBRARY_PATH)],
                         capture_output=True, text=True, check=True).stdout
    names = {line.split()[-1] for line in out.splitlines() if line.strip()}
    allowed = set(ffi.PROTOTYPES) | set(_apitable.EXTENSION_SYMBOLS)
    extra = sorted(n for n in names if n not in allowed and not n.startswith(("_", "GLIBC")))
    assert not extra, extra[:20]


def test_prototypes_parse_every_row():
    for p in _apitable.load():
        assert p.symbol.isidentifier()
        assert "<T>" not in p.c_declaration() and "real" not in re.findall(r"\w+", p.restype)
        for q in p.params:
            assert q.name.isidentifier()
            assert not re.search(r"\b(real|accreal|THTensor|THStorage)\b", q.ctype)
