"""The doctest example of every function that torchbind._generic makes from TH's TensorMath

``EXAMPLES`` maps the Python name (``exp``, ``index_select``, ``sort`` ...) to an example that
imports the module it runs against, so that its output is the same whichever per-type module's
function it is for (kept here, out of the runtime package; tests/test_doctests.py runs
each one once and checks that every generated function has one). Most run against
``double_tensor``; the bitwise functions against ``long_tensor``; the Byte-only functions
against ``byte_tensor``. Index tensors are 0-based; random fills show properties, not draws.
"""

from __future__ import annotations

_D = ">>> from torchbind import double_tensor as T\n"
_DL = ">>> from torchbind import double_tensor as T, long_tensor as L\n"
_L = ">>> from torchbind import long_tensor as L\n"
_B = ">>> from torchbind import byte_tensor as B\n"


def _with(header: str, examples: dict[str, str]) -> dict[str, str]:
    return {name: header + body for name, body in examples.items()}


_POINTWISE = {  # element by element; the last digits of the transcendentals are elided
    # ("..."): libTH may compute them vectorised, within an ulp of numpy
    "abs":
        ">>> T.abs(T.from_numpy([-1.5, 2.0])).tolist()\n"
        "[1.5, 2.0]",
    "neg":
        ">>> T.neg(T.from_numpy([1.0, -2.0])).tolist()\n"
        "[-1.0, 2.0]",
    "sign":
        ">>> T.sign(T.from_numpy([-3.0, 0.0, 2.0])).tolist()\n"
        "[-1.0, 0.0, 1.0]",
    "cinv":
        ">>> T.cinv(T.from_numpy([2.0, 4.0])).tolist()\n"
        "[0.5, 0.25]",
    "sqrt":
        ">>> T.sqrt(T.from_numpy([4.0, 9.0])).tolist()\n"
        "[2.0, 3.0]",
    "rsqrt":
        ">>> T.rsqrt(T.from_numpy([4.0, 0.25])).tolist()\n"
        "[0.5, 2.0]",
    "exp":
        ">>> T.exp(T.from_numpy([0.0, 1.0])).tolist()\n"
        "[1.0, 2.718281828459...]",
    "log":
        ">>> T.log(T.from_numpy([1.0, 4.0])).tolist()\n"
        "[0.0, 1.386294361119...]",
    "log1p":
        ">>> T.log1p(T.from_numpy([0.0, 1.0])).tolist()\n"
        "[0.0, 0.693147180559...]",
    "lgamma":
        ">>> T.lgamma(T.from_numpy([1.0, 5.0])).tolist()  # log((n-1)!)\n"
        "[0.0, 3.178053830347...]",
    "sigmoid":
        ">>> T.sigmoid(T.from_numpy([0.0, 2.0])).tolist()\n"
        "[0.5, 0.880797077977...]",
    "sin":
        ">>> T.sin(T.from_numpy([0.0, 1.0])).tolist()\n"
        "[0.0, 0.841470984807...]",
    "cos":
        ">>> T.cos(T.from_numpy([0.0, 1.0])).tolist()\n"
        "[1.0, 0.540302305868...]",
    "tan":
        ">>> T.tan(T.from_numpy([0.0, 1.0])).tolist()\n"
        "[0.0, 1.557407724654...]",
    "asin":
        ">>> T.asin(T.from_numpy([0.0, 1.0])).tolist()\n"
        "[0.0, 1.570796326794...]",
    "acos":
        ">>> T.acos(T.from_numpy([1.0, 0.0])).tolist()\n"
        "[0.0, 1.570796326794...]",
    "atan":
        ">>> T.atan(T.from_numpy([0.0, 1.0])).tolist()\n"
        "[0.0, 0.785398163397...]",
    "sinh":
        ">>> T.sinh(T.from_numpy([0.0, 1.0])).tolist()\n"
        "[0.0, 1.175201193643...]",
    "cosh":
        ">>> T.cosh(T.from_numpy([0.0, 1.0])).tolist()\n"
        "[1.0, 1.543080634815...]",
    "tanh":
        ">>> T.tanh(T.from_numpy([0.0, 1.0])).tolist()\n"
        "[0.0, 0.761594155955...]",
    "ceil":
        ">>> T.ceil(T.from_numpy([-1.5, 2.5])).tolist()\n"
        "[-1.0, 3.0]",
    "floor":
        ">>> T.floor(T.from_numpy([-1.5, 2.5])).tolist()\n"
        "[-2.0, 2.0]",
    "round":
        ">>> T.round(T.from_numpy([-1.5, 2.5, 2.4])).tolist()  # halves away from zero\n"
        "[-2.0, 3.0, 2.0]",
    "trunc":
        ">>> T.trunc(T.from_numpy([-1.5, 2.5])).tolist()\n"
        "[-1.0, 2.0]",
    "frac":
        ">>> T.frac(T.from_numpy([-1.5, 2.25])).tolist()\n"
        "[-0.5, 0.25]",
}

_SCALAR = {  # a tensor and a scalar
    "add":
        ">>> T.add(T.from_numpy([1.0, 2.0]), 10.0).tolist()\n"
        "[11.0, 12.0]",
    "sub":
        ">>> T.sub(T.from_numpy([1.0, 2.0]), 10.0).tolist()\n"
        "[-9.0, -8.0]",
    "mul":
        ">>> T.mul(T.from_numpy([1.0, 2.0]), 3.0).tolist()\n"
        "[3.0, 6.0]",
    "div":
        ">>> T.div(T.from_numpy([1.0, 2.0]), 4.0).tolist()\n"
        "[0.25, 0.5]",
    "pow":
        ">>> T.pow(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[1.0, 4.0, 9.0]",
    "tpow":
        ">>> T.tpow(2.0, T.from_numpy([0.0, 1.0, 3.0])).tolist()  # value ** t\n"
        "[1.0, 2.0, 8.0]",
    "fmod":
        ">>> T.fmod(T.from_numpy([-3.0, 3.0]), 2.0).tolist()  # sign of the dividend\n"
        "[-1.0, 1.0]",
    "remainder":
        ">>> T.remainder(T.from_numpy([-3.0, 3.0]), 2.0).tolist()  # sign of the divisor\n"
        "[1.0, 1.0]",
    "clamp":
        ">>> T.clamp(T.from_numpy([-1.0, 0.5, 2.0]), 0.0, 1.0).tolist()\n"
        "[0.0, 0.5, 1.0]",
    "cmax_value":
        ">>> T.cmax_value(T.from_numpy([-1.0, 2.0]), 0.0).tolist()\n"
        "[0.0, 2.0]",
    "cmin_value":
        ">>> T.cmin_value(T.from_numpy([-1.0, 2.0]), 0.0).tolist()\n"
        "[-1.0, 0.0]",
}

_BINARY = {  # two tensors, element by element
    "cadd":
        ">>> T.cadd(T.from_numpy([1.0, 2.0]), 10.0, T.from_numpy([1.0, 3.0])).tolist()\n"
        "[11.0, 32.0]",
    "csub":
        ">>> T.csub(T.from_numpy([1.0, 2.0]), 10.0, T.from_numpy([1.0, 3.0])).tolist()\n"
        "[-9.0, -28.0]",
    "cmul":
        ">>> T.cmul(T.from_numpy([1.0, 2.0]), T.from_numpy([3.0, 4.0])).tolist()\n"
        "[3.0, 8.0]",
    "cdiv":
        ">>> T.cdiv(T.from_numpy([1.0, 3.0]), T.from_numpy([4.0, 2.0])).tolist()\n"
        "[0.25, 1.5]",
    "cpow":
        ">>> T.cpow(T.from_numpy([2.0, 3.0]), T.from_numpy([3.0, 2.0])).tolist()\n"
        "[8.0, 9.0]",
    "cfmod":
        ">>> T.cfmod(T.from_numpy([-3.0, 3.0]), T.from_numpy([2.0, -2.0])).tolist()\n"
        "[-1.0, 1.0]",
    "cremainder":
        ">>> T.cremainder(T.from_numpy([-3.0, 3.0]), T.from_numpy([2.0, -2.0])).tolist()\n"
        "[1.0, -1.0]",
    "cmax":
        ">>> T.cmax(T.from_numpy([1.0, 5.0]), T.from_numpy([3.0, 2.0])).tolist()\n"
        "[3.0, 5.0]",
    "cmin":
        ">>> T.cmin(T.from_numpy([1.0, 5.0]), T.from_numpy([3.0, 2.0])).tolist()\n"
        "[1.0, 2.0]",
    "atan2":
        ">>> T.atan2(T.from_numpy([1.0, 0.0]), T.from_numpy([0.0, 1.0])).tolist()\n"
        "[1.570796326794..., 0.0]",
    "lerp":
        ">>> T.lerp(T.from_numpy([0.0, 10.0]), T.from_numpy([10.0, 20.0]), 0.5).tolist()\n"
        "[5.0, 15.0]",
    "addcmul":
        ">>> one, two = T.from_numpy([1.0, 1.0]), T.from_numpy([2.0, 3.0])\n"
        ">>> T.addcmul(one, 10.0, two, two).tolist()  # t + value * src1 * src2\n"
        "[41.0, 91.0]",
    "addcdiv":
        ">>> one, two = T.from_numpy([1.0, 1.0]), T.from_numpy([2.0, 4.0])\n"
        ">>> T.addcdiv(one, 10.0, one, two).tolist()  # t + value * src1 / src2\n"
        "[6.0, 3.5]",
}

_COMPARE = {  # a ByteTensor mask, or (the *_t forms) a tensor of the input's own type
    "eq_value":
        ">>> T.eq_value(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[0, 1, 0]",
    "ne_value":
        ">>> T.ne_value(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[1, 0, 1]",
    "lt_value":
        ">>> T.lt_value(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[1, 0, 0]",
    "le_value":
        ">>> T.le_value(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[1, 1, 0]",
    "gt_value":
        ">>> T.gt_value(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[0, 0, 1]",
    "ge_value":
        ">>> T.ge_value(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[0, 1, 1]",
    "eq_value_t":
        ">>> T.eq_value_t(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[0.0, 1.0, 0.0]",
    "ne_value_t":
        ">>> T.ne_value_t(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[1.0, 0.0, 1.0]",
    "lt_value_t":
        ">>> T.lt_value_t(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[1.0, 0.0, 0.0]",
    "le_value_t":
        ">>> T.le_value_t(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[1.0, 1.0, 0.0]",
    "gt_value_t":
        ">>> T.gt_value_t(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[0.0, 0.0, 1.0]",
    "ge_value_t":
        ">>> T.ge_value_t(T.from_numpy([1.0, 2.0, 3.0]), 2.0).tolist()\n"
        "[0.0, 1.0, 1.0]",
    "eq_tensor":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.eq_tensor(a, b).tolist()\n"
        "[0, 1, 0]",
    "ne_tensor":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.ne_tensor(a, b).tolist()\n"
        "[1, 0, 1]",
    "lt_tensor":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.lt_tensor(a, b).tolist()\n"
        "[1, 0, 0]",
    "le_tensor":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.le_tensor(a, b).tolist()\n"
        "[1, 1, 0]",
    "gt_tensor":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.gt_tensor(a, b).tolist()\n"
        "[0, 0, 1]",
    "ge_tensor":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.ge_tensor(a, b).tolist()\n"
        "[0, 1, 1]",
    "eq_tensor_t":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.eq_tensor_t(a, b).tolist()\n"
        "[0.0, 1.0, 0.0]",
    "ne_tensor_t":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.ne_tensor_t(a, b).tolist()\n"
        "[1.0, 0.0, 1.0]",
    "lt_tensor_t":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.lt_tensor_t(a, b).tolist()\n"
        "[1.0, 0.0, 0.0]",
    "le_tensor_t":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.le_tensor_t(a, b).tolist()\n"
        "[1.0, 1.0, 0.0]",
    "gt_tensor_t":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.gt_tensor_t(a, b).tolist()\n"
        "[0.0, 0.0, 1.0]",
    "ge_tensor_t":
        ">>> a, b = T.from_numpy([1.0, 2.0, 3.0]), T.from_numpy([3.0, 2.0, 1.0])\n"
        ">>> T.ge_tensor_t(a, b).tolist()\n"
        "[0.0, 1.0, 1.0]",
    "equal":
        ">>> T.equal(T.from_numpy([1.0, 2.0]), T.from_numpy([1.0, 2.0]))  # same size, values\n"
        "1",
}

_REDUCE = {  # whole-tensor values, and reductions along a dimension (keepdim: 0 or 1)
    "sumall":
        ">>> T.sumall(T.from_numpy([[1.0, 2.0], [3.0, 4.0]]))\n"
        "10.0",
    "prodall":
        ">>> T.prodall(T.from_numpy([[1.0, 2.0], [3.0, 4.0]]))\n"
        "24.0",
    "maxall":
        ">>> T.maxall(T.from_numpy([[1.0, 5.0], [3.0, 4.0]]))\n"
        "5.0",
    "minall":
        ">>> T.minall(T.from_numpy([[1.0, 5.0], [-3.0, 4.0]]))\n"
        "-3.0",
    "meanall":
        ">>> T.meanall(T.from_numpy([[1.0, 2.0], [3.0, 4.0]]))\n"
        "2.5",
    "medianall":
        ">>> T.medianall(T.from_numpy([4.0, 1.0, 3.0, 2.0]))  # the lower middle value\n"
        "2.0",
    "varall":
        ">>> t = T.from_numpy([1.0, 2.0, 3.0, 4.0])\n"
        ">>> T.varall(t, 0), T.varall(t, 1)  # biased=0: divides by n - 1\n"
        "(1.6666666666666667, 1.25)",
    "stdall":
        ">>> t = T.from_numpy([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])\n"
        ">>> T.stdall(t, 1)  # biased: divides by n\n"
        "2.0",
    "normall":
        ">>> t = T.from_numpy([3.0, -4.0])\n"
        ">>> T.normall(t, 2.0), T.normall(t, 1.0)\n"
        "(5.0, 7.0)",
    "dist":
        ">>> T.dist(T.from_numpy([1.0, 1.0]), T.from_numpy([4.0, 5.0]), 2.0)\n"
        "5.0",
    "dot":
        ">>> T.dot(T.from_numpy([1.0, 2.0]), T.from_numpy([3.0, 4.0]))\n"
        "11.0",
    "trace":
        ">>> T.trace(T.from_numpy([[1.0, 2.0], [3.0, 4.0]]))\n"
        "5.0",
    "sum":
        ">>> t = T.from_numpy([[1.0, 2.0], [3.0, 4.0]])\n"
        ">>> T.sum(t, 0, 0).tolist(), T.sum(t, 1, 1).tolist()\n"
        "([4.0, 6.0], [[3.0], [7.0]])",
    "prod":
        ">>> T.prod(T.from_numpy([[1.0, 2.0], [3.0, 4.0]]), 1, 0).tolist()\n"
        "[2.0, 12.0]",
    "mean":
        ">>> T.mean(T.from_numpy([[1.0, 2.0], [3.0, 4.0]]), 1, 0).tolist()\n"
        "[1.5, 3.5]",
    "var":
        ">>> t = T.from_numpy([[1.0, 2.0, 3.0, 4.0]])\n"
        ">>> T.var(t, 1, 0, 0).tolist()  # (t, dim, biased, keepdim)\n"
        "[1.6666666666666667]",
    "std":
        ">>> T.std(T.from_numpy([[1.0, 3.0], [2.0, 2.0]]), 1, 1, 0).tolist()  # biased\n"
        "[1.0, 0.0]",
    "norm":
        ">>> T.norm(T.from_numpy([[3.0, 4.0], [6.0, 8.0]]), 2.0, 1, 0).tolist()\n"
        "[5.0, 10.0]",
    "renorm":
        ">>> import numpy as np\n"
        ">>> t = T.from_numpy([[3.0, 4.0], [0.3, 0.4]])\n"
        ">>> r = T.renorm(t, 2.0, 0, 1.0)  # rows of norm > 1 scaled down to norm 1\n"
        ">>> np.round(r.numpy(), 6).tolist()\n"
        "[[0.6, 0.8], [0.3, 0.4]]",
    "cumsum":
        ">>> T.cumsum(T.from_numpy([1.0, 2.0, 3.0]), 0).tolist()\n"
        "[1.0, 3.0, 6.0]",
    "cumprod":
        ">>> T.cumprod(T.from_numpy([1.0, 2.0, 3.0]), 0).tolist()\n"
        "[1.0, 2.0, 6.0]",
    "max":
        ">>> values, indices = T.max(T.from_numpy([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]]), 1, 0)\n"
        ">>> values.tolist(), indices.tolist()\n"
        "([5.0, 7.0], [1, 0])",
    "min":
        ">>> values, indices = T.min(T.from_numpy([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]]), 1, 0)\n"
        ">>> values.tolist(), indices.tolist()\n"
        "([1.0, 0.0], [0, 1])",
    "median":
        ">>> values, indices = T.median(T.from_numpy([[3.0, 1.0, 2.0], [5.0, 6.0, 4.0]]), 1, 0)\n"
        ">>> values.tolist(), indices.tolist()\n"
        "([2.0, 5.0], [2, 0])",
    "mode":
        ">>> values, indices = T.mode(T.from_numpy([[1.0, 2.0, 2.0], [3.0, 3.0, 4.0]]), 1, 0)\n"
        ">>> values.tolist(), indices.tolist()\n"
        "([2.0, 3.0], [2, 1])",
    "kthvalue":
        ">>> t = T.from_numpy([[3.0, 1.0, 2.0]])\n"
        ">>> values, indices = T.kthvalue(t, 2, 1, 0)  # k counts from 1: the 2nd smallest\n"
        ">>> values.tolist(), indices.tolist()\n"
        "([2.0], [2])",
    "topk":
        ">>> t = T.from_numpy([4.0, 1.0, 3.0, 2.0])\n"
        ">>> values, indices = T.topk(t, 2, 0, 1, 1)  # (t, k, dim, largest, sorted)\n"
        ">>> values.tolist(), indices.tolist()\n"
        "([4.0, 3.0], [0, 2])",
    "sort":
        ">>> values, indices = T.sort(T.from_numpy([3.0, 1.0, 2.0]), 0, 0)  # ascending\n"
        ">>> values.tolist(), indices.tolist()\n"
        "([1.0, 2.0, 3.0], [1, 2, 0])",
    "histc":
        ">>> T.histc(T.from_numpy([1.0, 2.0, 1.0, 4.0]), 4, 0.0, 4.0).tolist()\n"
        "[0.0, 2.0, 1.0, 1.0]",
    "bhistc":
        ">>> t = T.from_numpy([[1.0, 2.0, 1.0, 4.0], [0.5, 0.5, 3.5, 3.5]])\n"
        ">>> T.bhistc(t, 4, 0.0, 4.0).tolist()  # one histogram per row\n"
        "[[0.0, 2.0, 1.0, 1.0], [2.0, 0.0, 0.0, 2.0]]",
}

_BUILD = {  # new tensors, shapes, fills
    "zero":
        ">>> t = T.from_numpy([1.0, 2.0])\n"
        ">>> T.zero(t)\n"
        ">>> t.tolist()\n"
        "[0.0, 0.0]",
    "fill":
        ">>> t = T.empty(3)\n"
        ">>> T.fill(t, 7.0)\n"
        ">>> t.tolist()\n"
        "[7.0, 7.0, 7.0]",
    "ones":
        ">>> T.ones((2, 3)).tolist()\n"
        "[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]",
    "ones_like":
        ">>> T.ones_like(T.empty(2)).tolist()\n"
        "[1.0, 1.0]",
    "zeros_like":
        ">>> T.zeros_like(T.from_numpy([5.0, 6.0])).tolist()\n"
        "[0.0, 0.0]",
    "eye":
        ">>> T.eye(2, 3).tolist()\n"
        "[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]",
    "arange":
        ">>> T.arange(0.0, 5.0, 2.0).tolist()  # excludes xmax\n"
        "[0.0, 2.0, 4.0]",
    "range":
        ">>> T.range(0.0, 4.0, 2.0).tolist()  # includes xmax\n"
        "[0.0, 2.0, 4.0]",
    "linspace":
        ">>> T.linspace(0.0, 1.0, 5).tolist()\n"
        "[0.0, 0.25, 0.5, 0.75, 1.0]",
    "logspace":
        ">>> T.logspace(0.0, 2.0, 3).tolist()\n"
        "[1.0, 10.0, 100.0]",
    "numel":
        ">>> T.numel(T.empty(2, 3))\n"
        "6",
    "reshape":
        ">>> T.reshape(T.from_numpy([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), (2, 3)).tolist()\n"
        "[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]",
    "cat":
        ">>> T.cat(T.from_numpy([[1.0, 2.0]]), T.from_numpy([[3.0, 4.0]]), 0).tolist()\n"
        "[[1.0, 2.0], [3.0, 4.0]]",
    "cat_array":
        ">>> parts = [T.from_numpy([1.0]), T.from_numpy([2.0, 3.0]), T.from_numpy([4.0])]\n"
        ">>> T.cat_array(parts, 0).tolist()\n"
        "[1.0, 2.0, 3.0, 4.0]",
    "diag":
        ">>> T.diag(T.from_numpy([1.0, 2.0]), 0).tolist()\n"
        "[[1.0, 0.0], [0.0, 2.0]]\n"
        ">>> T.diag(T.from_numpy([[1.0, 2.0], [3.0, 4.0]]), 1).tolist()\n"
        "[2.0]",
    "tril":
        ">>> T.tril(T.from_numpy([[1.0, 2.0], [3.0, 4.0]]), 0).tolist()\n"
        "[[1.0, 0.0], [3.0, 4.0]]",
    "triu":
        ">>> T.triu(T.from_numpy([[1.0, 2.0], [3.0, 4.0]]), 0).tolist()\n"
        "[[1.0, 2.0], [0.0, 4.0]]",
    "nonzero":
        ">>> T.nonzero(T.from_numpy([[0.0, 3.0], [5.0, 0.0]])).tolist()  # one row per element\n"
        "[[0, 1], [1, 0]]",
}

_INDEX = {  # index tensors are LongTensors of 0-based indices
    "index_select":
        ">>> t = T.from_numpy([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])\n"
        ">>> T.index_select(t, 0, L.from_numpy([2, 0])).tolist()\n"
        "[[5.0, 6.0], [1.0, 2.0]]",
    "index_copy":
        ">>> t = T.zeros(3)\n"
        ">>> T.index_copy(t, 0, L.from_numpy([2, 0]), T.from_numpy([5.0, 6.0]))\n"
        ">>> t.tolist()\n"
        "[6.0, 0.0, 5.0]",
    "index_add":
        ">>> t = T.ones(3)\n"
        ">>> T.index_add(t, 0, L.from_numpy([2, 0, 2]), T.from_numpy([5.0, 6.0, 7.0]))\n"
        ">>> t.tolist()\n"
        "[7.0, 1.0, 13.0]",
    "index_fill":
        ">>> t = T.zeros(3)\n"
        ">>> T.index_fill(t, 0, L.from_numpy([0, 2]), 9.0)\n"
        ">>> t.tolist()\n"
        "[9.0, 0.0, 9.0]",
    "gather":
        ">>> t = T.from_numpy([[1.0, 2.0], [3.0, 4.0]])\n"
        ">>> T.gather(t, 1, L.from_numpy([[1, 1], [0, 1]])).tolist()  # t[i][index[i][j]]\n"
        "[[2.0, 2.0], [3.0, 4.0]]",
    "scatter":
        ">>> t = T.zeros(2, 3)\n"
        ">>> T.scatter(t, 1, L.from_numpy([[2], [0]]), T.from_numpy([[5.0], [6.0]]))\n"
        ">>> t.tolist()  # t[i][index[i][j]] = src[i][j]\n"
        "[[0.0, 0.0, 5.0], [6.0, 0.0, 0.0]]",
    "scatter_add":
        ">>> t = T.ones(3)\n"
        ">>> T.scatter_add(t, 0, L.from_numpy([2, 2]), T.from_numpy([5.0, 6.0]))\n"
        ">>> t.tolist()\n"
        "[1.0, 1.0, 12.0]",
    "scatter_fill":
        ">>> t = T.zeros(2, 3)\n"
        ">>> T.scatter_fill(t, 1, L.from_numpy([[2], [0]]), 9.0)\n"
        ">>> t.tolist()\n"
        "[[0.0, 0.0, 9.0], [9.0, 0.0, 0.0]]",
}

_MASK = {  # masks are ByteTensors, e.g. from the comparisons
    "masked_select":
        ">>> t = T.from_numpy([1.0, 5.0, 2.0, 7.0])\n"
        ">>> T.masked_select(t, T.gt_value(t, 2.0)).tolist()\n"
        "[5.0, 7.0]",
    "masked_fill":
        ">>> t = T.from_numpy([1.0, 5.0, 2.0, 7.0])\n"
        ">>> T.masked_fill(t, T.gt_value(t, 2.0), 0.0)\n"
        ">>> t.tolist()\n"
        "[1.0, 0.0, 2.0, 0.0]",
    "masked_copy":
        ">>> t = T.from_numpy([1.0, 5.0, 2.0, 7.0])\n"
        ">>> T.masked_copy(t, T.gt_value(t, 2.0), T.from_numpy([-1.0, -2.0]))\n"
        ">>> t.tolist()  # src's elements, in order, where the mask is set\n"
        "[1.0, -1.0, 2.0, -2.0]",
}

_LINEAR = {  # BLAS-style: r = beta * t + alpha * (product)
    "addmv":
        ">>> m, v = T.from_numpy([[1.0, 2.0], [3.0, 4.0]]), T.from_numpy([1.0, 1.0])\n"
        ">>> T.addmv(1.0, T.ones(2), 1.0, m, v).tolist()  # 1 * ones + 1 * (m @ v)\n"
        "[4.0, 8.0]",
    "addmm":
        ">>> a = T.from_numpy([[1.0, 2.0], [3.0, 4.0]])\n"
        ">>> b = T.from_numpy([[0.0, 1.0], [1.0, 0.0]])\n"
        ">>> T.addmm(1.0, T.ones((2, 2)), 1.0, a, b).tolist()  # 1 * ones + 1 * (a @ b)\n"
        "[[3.0, 2.0], [5.0, 4.0]]",
    "addr":
        ">>> v1, v2 = T.from_numpy([1.0, 2.0]), T.from_numpy([3.0, 4.0])\n"
        ">>> T.addr(0.0, T.zeros(2, 2), 1.0, v1, v2).tolist()  # the outer product\n"
        "[[3.0, 4.0], [6.0, 8.0]]",
    "addbmm":
        ">>> b1, b2 = T.from_numpy([[[1.0]], [[2.0]]]), T.from_numpy([[[3.0]], [[4.0]]])\n"
        ">>> T.addbmm(1.0, T.zeros(1, 1), 1.0, b1, b2).tolist()  # sum of b1[i] @ b2[i]\n"
        "[[11.0]]",
    "baddbmm":
        ">>> b1, b2 = T.from_numpy([[[1.0]], [[2.0]]]), T.from_numpy([[[3.0]], [[4.0]]])\n"
        ">>> T.baddbmm(1.0, T.zeros(2, 1, 1), 1.0, b1, b2).tolist()  # b1[i] @ b2[i]\n"
        "[[[3.0]], [[8.0]]]",
    "match":
        ">>> m1 = T.from_numpy([[0.0, 0.0], [1.0, 1.0]])\n"
        ">>> m2 = T.from_numpy([[0.0, 0.0], [1.0, 0.0]])\n"
        ">>> T.match(m1, m2, 1.0).tolist()  # gain * squared distances of the rows\n"
        "[[0.0, 1.0], [2.0, 1.0]]",
    "cross":
        ">>> T.cross(T.from_numpy([1.0, 0.0, 0.0]), T.from_numpy([0.0, 1.0, 0.0]), 0).tolist()\n"
        "[0.0, 0.0, 1.0]",
}

_CONV = {  # "V"alid or "F"ull, "X" (cross-correlation) or "C" (convolution: flipped kernel)
    "conv2dmul":
        ">>> t, k = T.from_numpy([[1.0, 2.0, 3.0]]), T.from_numpy([[1.0, 10.0]])\n"
        ">>> T.conv2dmul(0.0, 1.0, t, k, 1, 1, \"V\", \"X\").tolist()  # 2-d t, 2-d k\n"
        "[[21.0, 32.0]]\n"
        ">>> T.conv2dmul(0.0, 1.0, t, k, 1, 1, \"F\", \"C\").tolist()\n"
        "[[1.0, 12.0, 23.0, 30.0]]",
    "conv2dcmul":
        ">>> t = T.from_numpy([[[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]]])  # 2 planes\n"
        ">>> k = T.from_numpy([[[1.0, 1.0]], [[1.0, -1.0]]])  # a kernel per plane\n"
        ">>> T.conv2dcmul(0.0, 1.0, t, k, 1, 1, \"V\", \"X\").tolist()\n"
        "[[[3.0, 5.0]], [[-1.0, -1.0]]]",
    "conv2dmv":
        ">>> t = T.from_numpy([[[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]]])  # 2 input planes\n"
        ">>> k = T.from_numpy([[[[1.0, 1.0]], [[1.0, 1.0]]]])  # 1 output x 2 inputs\n"
        ">>> T.conv2dmv(0.0, 1.0, t, k, 1, 1, \"V\", \"X\").tolist()  # summed over inputs\n"
        "[[[12.0, 16.0]]]",
    "conv2dmm":
        ">>> t = T.from_numpy([[[[1.0, 2.0, 3.0]]], [[[4.0, 5.0, 6.0]]]])  # a batch of 2\n"
        ">>> k = T.from_numpy([[[[1.0, 1.0]]]])\n"
        ">>> T.conv2dmm(0.0, 1.0, t, k, 1, 1, \"V\", \"X\").tolist()  # conv2dmv per item\n"
        "[[[[3.0, 5.0]]], [[[9.0, 11.0]]]]",
    "conv2dger":
        ">>> t = T.from_numpy([[[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]]])  # 2 planes\n"
        ">>> k = T.from_numpy([[[1.0, 1.0]], [[1.0, -1.0]]])  # 2 kernels\n"
        ">>> T.conv2dger(0.0, 1.0, t, k, 1, 1, \"V\", \"X\").tolist()  # every pair\n"
        "[[[[3.0, 5.0]], [[9.0, 11.0]]], [[[-1.0, -1.0]], [[-1.0, -1.0]]]]",
    "conv2drevger":
        ">>> t, k = T.from_numpy([[[1.0, 2.0, 3.0]]]), T.from_numpy([[[1.0, 1.0]]])\n"
        ">>> T.conv2drevger(0.0, 1.0, t, k, 1, 1).tolist()  # kernel x plane\n"
        "[[[[3.0, 5.0]]]]",
    "conv2drevgerm":
        ">>> t, k = T.from_numpy([[[[1.0, 2.0, 3.0]]]]), T.from_numpy([[[[1.0, 1.0]]]])\n"
        ">>> T.conv2drevgerm(0.0, 1.0, t, k, 1, 1).tolist()  # summed over the batch\n"
        "[[[[3.0, 5.0]]]]",
    "conv3dmul":
        ">>> t, k = T.from_numpy([[[1.0, 2.0, 3.0]]]), T.from_numpy([[[1.0, 10.0]]])\n"
        ">>> T.conv3dmul(0.0, 1.0, t, k, 1, 1, 1, \"V\", \"X\").tolist()  # 3-d t, 3-d k\n"
        "[[[21.0, 32.0]]]",
    "conv3dcmul":
        ">>> t = T.from_numpy([[[[1.0, 2.0, 3.0]]], [[[4.0, 5.0, 6.0]]]])  # 2 volumes\n"
        ">>> k = T.from_numpy([[[[1.0, 1.0]]], [[[1.0, -1.0]]]])\n"
        ">>> T.conv3dcmul(0.0, 1.0, t, k, 1, 1, 1, \"V\", \"X\").tolist()\n"
        "[[[[3.0, 5.0]]], [[[-1.0, -1.0]]]]",
    "conv3dmv":
        ">>> t = T.from_numpy([[[[1.0, 2.0, 3.0]]], [[[4.0, 5.0, 6.0]]]])\n"
        ">>> k = T.from_numpy([[[[[1.0, 1.0]]], [[[1.0, 1.0]]]]])  # 1 output x 2 inputs\n"
        ">>> T.conv3dmv(0.0, 1.0, t, k, 1, 1, 1, \"V\", \"X\").tolist()\n"
        "[[[[12.0, 16.0]]]]",
    "conv3dger":
        ">>> t = T.from_numpy([[[[1.0, 2.0, 3.0]]], [[[4.0, 5.0, 6.0]]]])\n"
        ">>> k = T.from_numpy([[[[1.0, 1.0]]], [[[1.0, -1.0]]]])\n"
        ">>> T.conv3dger(0.0, 1.0, t, k, 1, 1, 1, \"V\", \"X\").tolist()\n"
        "[[[[[3.0, 5.0]]], [[[9.0, 11.0]]]], [[[[-1.0, -1.0]]], [[[-1.0, -1.0]]]]]",
    "conv3drevger":
        ">>> t, k = T.from_numpy([[[[1.0, 2.0, 3.0]]]]), T.from_numpy([[[[1.0, 1.0]]]])\n"
        ">>> T.conv3drevger(0.0, 1.0, t, k, 1, 1, 1).tolist()\n"
        "[[[[[3.0, 5.0]]]]]",
}

_LAPACK = {  # results as LAPACK leaves them; rounded where the last bits may differ
    "gesv":
        ">>> a, b = T.from_numpy([[2.0, 1.0], [1.0, 3.0]]), T.from_numpy([[4.0], [7.0]])\n"
        ">>> x, lu = T.gesv(b, a)  # solves a @ x = b\n"
        ">>> x.tolist()\n"
        "[[1.0], [2.0]]",
    "trtrs":
        ">>> a, b = T.from_numpy([[2.0, 1.0], [0.0, 4.0]]), T.from_numpy([[3.0], [4.0]])\n"
        ">>> x, a_copy = T.trtrs(b, a, \"U\", \"N\", \"N\")  # a upper triangular\n"
        ">>> x.tolist()\n"
        "[[1.0], [1.0]]",
    "gels":
        ">>> a = T.from_numpy([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])\n"
        ">>> x, qr = T.gels(T.from_numpy([[1.0], [2.0], [3.0]]), a)  # least squares\n"
        ">>> x.tolist()[:2]  # the solution; the rest of x holds the residual\n"
        "[[1.0], [2.0]]",
    "getri":
        ">>> T.getri(T.from_numpy([[2.0, 1.0], [1.0, 1.0]])).tolist()  # the inverse\n"
        "[[1.0, -1.0], [-1.0, 2.0]]",
    "potrf":
        ">>> a = T.from_numpy([[4.0, 2.0], [2.0, 5.0]])\n"
        ">>> T.potrf(a, \"U\").tolist()  # u with u.T @ u == a\n"
        "[[2.0, 1.0], [0.0, 2.0]]",
    "potrs":
        ">>> u = T.potrf(T.from_numpy([[4.0, 2.0], [2.0, 5.0]]), \"U\")\n"
        ">>> T.potrs(T.from_numpy([[6.0], [7.0]]), u, \"U\").tolist()  # solves a @ x = b\n"
        "[[1.0], [1.0]]",
    "potri":
        ">>> u = T.potrf(T.from_numpy([[4.0, 2.0], [2.0, 5.0]]), \"U\")\n"
        ">>> T.potri(u, \"U\").tolist()  # the inverse of a\n"
        "[[0.3125, -0.125], [-0.125, 0.25]]",
    "pstrf":
        ">>> u, piv = T.pstrf(T.from_numpy([[1.0, 0.0], [0.0, 4.0]]), \"U\", -1.0)\n"
        ">>> u.tolist(), piv.tolist()  # largest pivot first\n"
        "([[2.0, 0.0], [0.0, 1.0]], [1, 0])",
    "syev":
        ">>> import numpy as np\n"
        ">>> e, v = T.syev(T.from_numpy([[2.0, 1.0], [1.0, 2.0]]), \"V\", \"U\")\n"
        ">>> np.round(e.numpy(), 6).tolist()  # ascending; v's columns: the vectors\n"
        "[1.0, 3.0]",
    "geev":
        ">>> e, v = T.geev(T.from_numpy([[0.0, -1.0], [1.0, 0.0]]), \"N\")\n"
        ">>> e.tolist()  # one (real, imaginary) row per eigenvalue\n"
        "[[0.0, 1.0], [0.0, -1.0]]",
    "gesvd":
        ">>> u, s, v = T.gesvd(T.from_numpy([[3.0, 0.0], [0.0, -4.0]]), \"S\")\n"
        ">>> s.tolist()  # a == u @ diag(s) @ v.T\n"
        "[4.0, 3.0]",
    "gesvd2":
        ">>> u, s, v, a_out = T.gesvd2(T.from_numpy([[3.0, 0.0], [0.0, -4.0]]), \"S\")\n"
        ">>> s.tolist()\n"
        "[4.0, 3.0]",
    "qr":
        ">>> import numpy as np\n"
        ">>> q, r = T.qr(T.from_numpy([[3.0, 1.0], [4.0, 2.0]]))\n"
        ">>> np.round(r.numpy(), 6).tolist()  # q @ r == a\n"
        "[[-5.0, -2.2], [0.0, 0.4]]",
    "geqrf":
        ">>> import numpy as np\n"
        ">>> a, tau = T.geqrf(T.from_numpy([[3.0, 1.0], [4.0, 2.0]]))\n"
        ">>> np.round(T.triu(a, 0).numpy(), 6).tolist()  # r of the QR\n"
        "[[-5.0, -2.2], [0.0, 0.4]]",
    "orgqr":
        ">>> import numpy as np\n"
        ">>> a, tau = T.geqrf(T.from_numpy([[3.0, 1.0], [4.0, 2.0]]))\n"
        ">>> np.round(T.orgqr(a, tau).numpy(), 6).tolist()  # q\n"
        "[[-0.6, -0.8], [-0.8, 0.6]]",
    "ormqr":
        ">>> import numpy as np\n"
        ">>> a, tau = T.geqrf(T.from_numpy([[3.0, 1.0], [4.0, 2.0]]))\n"
        ">>> c = T.from_numpy([[5.0], [0.0]])\n"
        ">>> np.round(T.ormqr(a, tau, c, \"L\", \"N\").numpy(), 6).tolist()  # q @ c\n"
        "[[-3.0], [-4.0]]",
    "btrifact":
        ">>> lu, pivots, info = T.btrifact(1, T.from_numpy([[[0.0, 2.0], [1.0, 0.0]]]))\n"
        ">>> lu.tolist(), pivots.tolist(), info.tolist()  # a batch of one\n"
        "([[[1.0, 0.0], [0.0, 2.0]]], [[1, 1]], [0])",
    "btrisolve":
        ">>> lu, pivots, info = T.btrifact(1, T.from_numpy([[[0.0, 2.0], [1.0, 0.0]]]))\n"
        ">>> T.btrisolve(T.from_numpy([[4.0, 1.0]]), lu, pivots).tolist()\n"
        "[[1.0, 2.0]]",
}

_RANDOM = {  # the default generator unless generator=; shown by properties, not by draws
    "uniform":
        ">>> t = T.empty(100)\n"
        ">>> T.uniform(t, 2.0, 3.0)\n"
        ">>> 2.0 <= T.minall(t) <= T.maxall(t) < 3.0\n"
        "True",
    "normal":
        ">>> t = T.empty(1000)\n"
        ">>> T.normal(t, 5.0, 0.1)\n"
        ">>> 4.5 < T.meanall(t) < 5.5\n"
        "True",
    "normal_means":
        ">>> t = T.empty(2)\n"
        ">>> T.normal_means(t, T.from_numpy([10.0, 100.0]), 0.01)  # one mean each\n"
        ">>> T.round(t).tolist()\n"
        "[10.0, 100.0]",
    "normal_stddevs":
        ">>> t = T.empty(2)\n"
        ">>> T.normal_stddevs(t, 5.0, T.from_numpy([0.0, 0.0]))  # one stdv each\n"
        ">>> t.tolist()\n"
        "[5.0, 5.0]",
    "normal_means_stddevs":
        ">>> t = T.empty(2)\n"
        ">>> T.normal_means_stddevs(t, T.from_numpy([1.0, 2.0]), T.zeros(2))\n"
        ">>> t.tolist()\n"
        "[1.0, 2.0]",
    "exponential":
        ">>> t = T.empty(100)\n"
        ">>> T.exponential(t, 2.0)\n"
        ">>> T.minall(t) >= 0.0\n"
        "True",
    "cauchy":
        ">>> t = T.empty(3, 2)\n"
        ">>> T.cauchy(t, 0.0, 1.0)  # (median, sigma)\n"
        ">>> t.shape\n"
        "(3, 2)",
    "log_normal":
        ">>> t = T.empty(100)\n"
        ">>> T.log_normal(t, 0.0, 1.0)\n"
        ">>> T.minall(t) > 0.0\n"
        "True",
    "geometric":
        ">>> t = T.empty(100)\n"
        ">>> T.geometric(t, 0.5)  # trials until the first success: 1, 2, ...\n"
        ">>> all(x >= 1 and x == int(x) for x in t.tolist())\n"
        "True",
    "bernoulli":
        ">>> t = T.empty(4)\n"
        ">>> T.bernoulli(t, 1.0)  # 1 with probability p\n"
        ">>> t.tolist()\n"
        "[1.0, 1.0, 1.0, 1.0]",
    "bernoulli_double_tensor":
        ">>> t = T.empty(3)\n"
        ">>> T.bernoulli_double_tensor(t, T.from_numpy([0.0, 1.0, 1.0]))\n"
        ">>> t.tolist()  # one p per element\n"
        "[0.0, 1.0, 1.0]",
    "bernoulli_float_tensor":
        ">>> from torchbind import float_tensor as F\n"
        ">>> t = T.empty(3)\n"
        ">>> T.bernoulli_float_tensor(t, F.from_numpy([0.0, 1.0, 1.0]))\n"
        ">>> t.tolist()  # one p per element\n"
        "[0.0, 1.0, 1.0]",
    "random":
        ">>> t = T.empty(100)\n"
        ">>> T.random(t)  # integers from 0 up to the type's largest exact one\n"
        ">>> all(x >= 0 and x == int(x) for x in t.tolist())\n"
        "True",
    "capped_random":
        ">>> t = T.empty(100)\n"
        ">>> T.capped_random(t, 3)  # integers in [0, max)\n"
        ">>> set(t.tolist()) <= {0.0, 1.0, 2.0}\n"
        "True",
    "clamped_random":
        ">>> t = T.empty(100)\n"
        ">>> T.clamped_random(t, 5, 7)  # integers in [min, max)\n"
        ">>> set(t.tolist()) <= {5.0, 6.0}\n"
        "True",
    "rand":
        ">>> t = T.rand((2, 3))  # uniform in [0, 1)\n"
        ">>> t.shape, 0.0 <= T.minall(t) <= T.maxall(t) < 1.0\n"
        "((2, 3), True)",
    "randn":
        ">>> T.randn((2, 3)).shape  # standard normal\n"
        "(2, 3)",
    "randperm":
        ">>> sorted(T.randperm(5).tolist())  # 0 .. n-1 in random order\n"
        "[0.0, 1.0, 2.0, 3.0, 4.0]",
    "multinomial":
        ">>> p = T.from_numpy([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # one distribution a row\n"
        ">>> T.multinomial(p, 2, 1).tolist()  # (prob_dist, n_sample, with_replacement)\n"
        "[[1, 1], [2, 2]]",
    "multinomial_alias_setup":
        ">>> J, q = T.multinomial_alias_setup(T.from_numpy([0.25, 0.25, 0.5]))\n"
        ">>> J.tolist(), q.tolist()  # draw k with q[k], else J[k] (q = 1 where J = 0)\n"
        "([2, 2, 0], [0.75, 0.75, 1.0])",
    "multinomial_alias_draw":
        ">>> from torchbind import long_tensor as L\n"
        ">>> J, q = T.multinomial_alias_setup(T.from_numpy([0.25, 0.25, 0.5]))\n"
        ">>> d = T.multinomial_alias_draw(J, q, out=L.empty(1000)).tolist()  # fills out\n"
        ">>> len(d), sorted(set(d))\n"
        "(1000, [0, 1, 2])",
}

_INTEGER = {  # bitwise functions: the integer types (Float and Double raise)
    "bitand":
        ">>> L.bitand(L.from_numpy([12, 10]), 6).tolist()\n"
        "[4, 2]",
    "bitor":
        ">>> L.bitor(L.from_numpy([12, 10]), 1).tolist()\n"
        "[13, 11]",
    "bitxor":
        ">>> L.bitxor(L.from_numpy([12, 10]), 6).tolist()\n"
        "[10, 12]",
    "cbitand":
        ">>> L.cbitand(L.from_numpy([12, 10]), L.from_numpy([6, 3])).tolist()\n"
        "[4, 2]",
    "cbitor":
        ">>> L.cbitor(L.from_numpy([12, 10]), L.from_numpy([6, 3])).tolist()\n"
        "[14, 11]",
    "cbitxor":
        ">>> L.cbitxor(L.from_numpy([12, 10]), L.from_numpy([6, 3])).tolist()\n"
        "[10, 9]",
    "lshift":
        ">>> L.lshift(L.from_numpy([1, 3]), 2).tolist()\n"
        "[4, 12]",
    "rshift":
        ">>> L.rshift(L.from_numpy([16, 7]), 1).tolist()\n"
        "[8, 3]",
    "clshift":
        ">>> L.clshift(L.from_numpy([1, 1]), L.from_numpy([1, 3])).tolist()\n"
        "[2, 8]",
    "crshift":
        ">>> L.crshift(L.from_numpy([16, 16]), L.from_numpy([1, 3])).tolist()\n"
        "[8, 2]",
}

_BYTE = {  # only byte_tensor has these
    "logicalall":
        ">>> B.logicalall(B.from_numpy([1, 1, 0])), B.logicalall(B.from_numpy([1, 1]))\n"
        "(0, 1)",
    "logicalany":
        ">>> B.logicalany(B.from_numpy([0, 1, 0])), B.logicalany(B.from_numpy([0, 0]))\n"
        "(1, 0)",
    "get_rngstate":
        ">>> B.get_rngstate().shape  # the default generator's state, as bytes\n"
        "(5048,)",
    "set_rngstate":
        ">>> from torchbind import double_tensor as T\n"
        ">>> state = B.get_rngstate()\n"
        ">>> a = T.rand((3,))\n"
        ">>> B.set_rngstate(state)  # back to the saved state: the same draws again\n"
        ">>> T.rand((3,)).tolist() == a.tolist()\n"
        "True",
}

EXAMPLES: dict[str, str] = {
    **_with(_D, {**_POINTWISE, **_SCALAR, **_BINARY, **_COMPARE, **_REDUCE, **_BUILD,
                 **_MASK, **_LINEAR, **_CONV, **_LAPACK, **_RANDOM}),
    **_with(_DL, _INDEX),
    **_with(_L, _INTEGER),
    **_with(_B, _BYTE),
}


def example(name: str) -> str | None:
    """The example for function ``name`` as a docstring section, or None if there is none."""
    text = EXAMPLES.get(name)
    if text is None:
        return None
    return "\n\nExample:\n" + "\n".join("    " + line for line in text.splitlines()) + "\n"
