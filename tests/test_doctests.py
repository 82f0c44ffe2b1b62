"""The examples in the docstrings run (against the installed package)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import torchbind

MODULES = sorted(m.name for m in pkgutil.iter_modules(torchbind.__path__, "torchbind.")
                 if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"


def test_the_examples_exist():
    counts = {name: doctest.testmod(importlib.import_module(name)).attempted for name in MODULES}
    assert sum(counts.values()) >= 20, counts
