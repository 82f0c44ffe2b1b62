"""The examples in the docstrings run (against the installed package)."""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import pytest
from module_examples import EXAMPLES, example

import torchbind
from torchbind._types import TYPES

MODULES = sorted(m.name for m in pkgutil.iter_modules(torchbind.__path__, "torchbind.")
                 if not m.name.endswith("__main__"))


def _module_tests(name):
    """The module's doctests, less those of its generated functions (run once below)."""
    module = importlib.import_module(name)
    generated = {f"{name}.{fn.__name__}" for m, fn in _generated() if m == name}
    return [t for t in doctest.DocTestFinder().find(module) if t.name not in generated]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in _module_tests(name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"


def test_the_examples_exist():
    counts = {name: sum(len(t.examples) for t in _module_tests(name)) for name in MODULES}
    assert sum(counts.values()) >= 20, counts


# The functions torchbind._generic makes from TH's TensorMath: their docstrings begin with
# "<name>: TH's `" and end with their example from torchbind._examples. doctest's finder sees
# some of them in every per-type module (those whose __module__ _generic sets to the module,
# not the compiled fast paths); _module_tests leaves them all out, and the tests below run each
# distinct example once, in fresh globals (the modules' own `round`, `sum`, `max` ... would
# shadow the builtins).
GENERATED_PREFIX = "{}: TH's `"


def _generated():
    """(module name, function) for every generated public function of every per-type module."""
    for etype in TYPES.values():
        module = importlib.import_module(f"torchbind.{etype.module}")
        for name in module.__all__:
            fn = getattr(module, name)
            if callable(fn) and (fn.__doc__ or "").startswith(GENERATED_PREFIX.format(name)):
                yield module.__name__, fn


def test_every_generated_function_has_an_example():
    generated = list(_generated())
    assert len(generated) > 100, len(generated)
    missing = sorted({f"{m}.{fn.__name__}" for m, fn in generated if fn.__name__ not in EXAMPLES})
    assert not missing, f"no example in the docstring of {len(missing)}: {', '.join(missing)}"
    unused = sorted(set(EXAMPLES) - {fn.__name__ for _, fn in generated})
    assert not unused, f"examples for functions no module has: {unused}"


def test_generated_examples_run():
    parser, flags = doctest.DocTestParser(), doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    examples: dict[str, list[str]] = {}  # example -> the functions that carry it
    for module, fn in _generated():
        examples.setdefault(example(fn.__name__) or "", []).append(f"{module}.{fn.__name__}")
    assert len(examples) == len(EXAMPLES), "one example per function name"
    failed, report = [], io.StringIO()
    for text, owners in examples.items():
        test = parser.get_doctest(text, {}, owners[0], None, 0)
        runner = doctest.DocTestRunner(optionflags=flags)
        runner.run(test, out=report.write)
        if runner.failures:
            failed.append(owners[0].rsplit(".", 1)[1])
    assert not failed, f"examples failed: {sorted(set(failed))}\n{report.getvalue()}"
