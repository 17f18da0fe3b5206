"""One function per ONNX operator: the cnnlab layer or op that computes the same.

Each converter reads one node (its attributes as a dict, its constant inputs through
the builder of :mod:`cnnlab.export.onnx_import`) and adds a layer call or an op call.
ONNX's conventions are turned into torch's on the way: a convolution's ``pads`` are all
the begins, then all the ends; ``Gemm`` may hold its weight transposed; a batch norm's
``momentum`` weighs the old running mean (torch's the new batch's); ``AveragePool``
counts the padding only when told (torch by default).
"""

from __future__ import annotations

import math

import numpy as np

from ..nn import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AvgPool1d,
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Conv1d,
    Conv2d,
    Dropout,
    Hardtanh,
    LeakyReLU,
    Linear,
    LogSoftmax,
    MaxPool1d,
    MaxPool2d,
    Parameter,
    ReLU,
    ReLU6,
    Sigmoid,
    Softmax,
    Tanh,
)
from .onnx_pad import ConstantPad1d, ConstantPad2d


class _FromFile(np.random.Generator):
    """A generator that draws nothing: the layers built here get their weights from the
    file, so their constructors' random initial weights (100 M numbers for VGG-16's first
    dense layer) are left as uninitialised memory, to be replaced at once."""

    def uniform(self, low=0.0, high=1.0, size=None):
        return np.empty(size, dtype=np.float32)


FROM_FILE = _FromFile(np.random.PCG64(0))


def _explicit_pads(b, node, a: dict, kernel, strides, dilations) -> tuple[list, list]:
    """The padding before and after each spatial axis, from ``pads`` or ``auto_pad``."""
    dims = len(kernel)
    auto_pad = a.get("auto_pad", "NOTSET")
    if auto_pad == "VALID":
        return [0] * dims, [0] * dims
    if auto_pad == "NOTSET":
        pads = list(a.get("pads", [0] * 2 * dims))
        return pads[:dims], pads[dims:]
    sizes = b.shape(node.input[0])[2:]
    if auto_pad not in ("SAME_UPPER", "SAME_LOWER") or not sizes or None in sizes:
        raise b.unsupported(node, f"auto_pad={auto_pad!r} on an input of unknown size")
    begins, ends = [], []
    for n, k, s, d in zip(sizes, kernel, strides, dilations, strict=True):
        total = max((math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)
        small, large = total // 2, total - total // 2
        begins.append(small if auto_pad == "SAME_UPPER" else large)
        ends.append(large if auto_pad == "SAME_UPPER" else small)
    return begins, ends


def _pad_layer(begins, ends, value: float = 0.0):
    """A padding layer with torch's order of amounts (last axis first)."""
    flat = [p for pair in reversed(list(zip(begins, ends, strict=True))) for p in pair]
    return (ConstantPad1d if len(begins) == 1 else ConstantPad2d)(flat, value)


def _set(layer, weight: np.ndarray, bias: np.ndarray | None):
    """The file's weight and bias in ``layer``, built with parameters of their shapes
    (whose gradients are kept: making them again costs seconds for VGG-16)."""
    layer.weight.data = np.ascontiguousarray(weight, dtype=layer.weight.dtype)
    if bias is not None:
        layer.bias.data = np.ascontiguousarray(bias, dtype=layer.bias.dtype)
    return layer


def conv(b, node, a):
    weight, bias = b.constant(node, 1), b.constant(node, 2, optional=True)
    dims = weight.ndim - 2
    if dims not in (1, 2):
        raise b.unsupported(node, f"a {dims}-D convolution (cnnlab has Conv1d and Conv2d)")
    strides, dilations = a.get("strides", [1] * dims), a.get("dilations", [1] * dims)
    begins, ends = _explicit_pads(b, node, a, weight.shape[2:], strides, dilations)
    group = a.get("group", 1)
    layer = (Conv1d if dims == 1 else Conv2d)(
        weight.shape[1] * group, weight.shape[0], weight.shape[2:], strides,
        begins if begins == ends else 0, dilations, group, bias=bias is not None, rng=FROM_FILE,
        dtype=weight.dtype,
    )  # fmt: skip
    padded = b.add_layer(node, _pad_layer(begins, ends), before=layer) if begins != ends else ""
    b.add_layer(node, _set(layer, weight, bias), reads=padded)


def _pool(b, node, a, pool_1d, pool_2d, fill: float, **options):
    kernel = a["kernel_shape"]
    dims = len(kernel)
    if dims not in (1, 2):
        raise b.unsupported(node, f"a {dims}-D pooling")
    strides = a.get("strides", [1] * dims)
    dilations = a.get("dilations", [1] * dims)
    begins, ends = _explicit_pads(b, node, a, kernel, strides, dilations)
    fits = begins == ends and all(2 * p <= k for p, k in zip(begins, kernel, strict=True))
    if not fits and fill == 0 and not options.get("count_include_pad", True):
        raise b.unsupported(node, "uneven padding left out of the averages")
    if any(d != 1 for d in dilations):
        options["dilation"] = dilations
    pool = (pool_1d if dims == 1 else pool_2d)(
        kernel, strides, begins if fits else 0, ceil_mode=bool(a.get("ceil_mode", 0)), **options
    )
    padded = "" if fits else b.add_layer(node, _pad_layer(begins, ends, fill), before=pool)
    b.add_layer(node, pool, reads=padded)


def max_pool(b, node, a):
    if len(node.output) > 1 and node.output[1]:
        raise b.unsupported(node, "the Indices output of MaxPool")
    _pool(b, node, a, MaxPool1d, MaxPool2d, -np.inf)


def average_pool(b, node, a):
    if any(d != 1 for d in a.get("dilations", [])):
        raise b.unsupported(node, "a dilated average pooling")
    include = bool(a.get("count_include_pad", 0))  # ONNX's default is torch's False
    _pool(b, node, a, AvgPool1d, AvgPool2d, 0.0, count_include_pad=include)


def global_average_pool(b, node, a):
    rank = b.rank(node.input[0])
    b.add_layer(node, AdaptiveAvgPool1d(1) if rank == 3 else AdaptiveAvgPool2d(1))


def batch_normalization(b, node, a):
    if a.get("training_mode", 0) or any(node.output[1:]):
        raise b.unsupported(node, "a batch norm in training mode")
    scale, bias, mean, var = (b.constant(node, i) for i in (1, 2, 3, 4))
    layer = (BatchNorm1d if b.rank(node.input[0]) in (2, 3) else BatchNorm2d)(
        scale.size, eps=a.get("epsilon", 1e-5), momentum=round(1 - a.get("momentum", 0.9), 7),
        dtype=scale.dtype,
    )  # fmt: skip
    _set(layer, scale, bias)
    layer.running_mean, layer.running_var = mean.copy(), var.copy()
    b.add_layer(node, layer)


def clip(b, node, a):
    if b.opset < 11:
        low, high = a.get("min"), a.get("max")
    else:
        low, high = (b.constant(node, i, optional=True) for i in (1, 2))
        low, high = (None if v is None else float(v) for v in (low, high))
    if (low, high) == (0.0, 6.0):
        layer = ReLU6()
    elif low == 0.0 and high is None:
        layer = ReLU()
    else:
        largest = float(np.finfo(np.float32).max)  # an open bound: Hardtanh's are finite
        layer = Hardtanh(-largest if low is None else low, largest if high is None else high)
    b.add_layer(node, layer)


def softmax(b, node, a, layer=Softmax):
    axis = a.get("axis", -1 if b.opset >= 13 else 1)
    rank = b.rank(node.input[0])
    if b.opset < 13 and axis % rank != rank - 1:  # then ONNX's softmax runs over axes >= axis
        raise b.unsupported(node, f"a softmax over the axes from {axis} on, at opset {b.opset}")
    b.add_layer(node, layer(dim=axis))


def gemm(b, node, a):
    if a.get("transA", 0):
        raise b.unsupported(node, "a transposed input (transA=1)")
    weight = b.constant(node, 1)
    weight = weight if a.get("transB", 0) else weight.T
    bias = b.constant(node, 2, optional=True)
    alpha, beta = a.get("alpha", 1.0), a.get("beta", 1.0)
    if alpha != 1.0:
        weight = weight * np.asarray(alpha, dtype=weight.dtype)
    if bias is not None:
        bias = np.broadcast_to(bias * np.asarray(beta, dtype=bias.dtype), weight.shape[:1]).copy()
    layer = Linear(
        weight.shape[1], weight.shape[0], bias is not None, rng=FROM_FILE, dtype=weight.dtype
    )
    b.add_layer(node, _set(layer, np.ascontiguousarray(weight), bias))


def matmul(b, node, a):
    """``x @ W`` of features ``x`` (N, in) and a constant matrix ``W`` is a Linear layer;
    any other product an op (a product of feature maps with a pooling matrix, say)."""
    linear = b.is_value(node.input[0]) and not b.is_value(node.input[1])
    linear = linear and b.rank(node.input[0]) <= 3
    weight = b.constant(node, 1) if linear else None
    if weight is None or weight.ndim != 2:
        b.add_op(node, "matmul")
        return
    layer = Linear(weight.shape[0], weight.shape[1], False, rng=FROM_FILE, dtype=weight.dtype)
    b.add_layer(node, _set(layer, np.ascontiguousarray(weight.T), None))


def add(b, node, a):
    linear, constant = b.bias_for(node)  # MatMul then Add of a vector: one Linear
    if linear is not None:
        linear.bias = Parameter(constant.reshape(linear.out_features).copy())
        b.alias(node.output[0], node.input[0 if b.is_value(node.input[0]) else 1])
        return
    b.add_op(node, "add")


def dropout(b, node, a):
    if any(node.output[1:]):
        raise b.unsupported(node, "the mask output of Dropout")
    ratio = a.get("ratio", 0.5) if b.opset < 12 else b.constant(node, 1, optional=True)
    b.add_layer(node, Dropout(0.5 if ratio is None else float(ratio), rng=0))


def pad(b, node, a):
    mode = a.get("mode", "constant")
    pads = [int(p) for p in b.constant(node, 1)]
    axes = b.constant(node, 3, optional=True)
    if axes is not None:  # opset 18: the pads of these axes only
        rank = b.rank(node.input[0])
        full = [0] * 2 * rank
        for i, axis in enumerate(int(x) % rank for x in axes):
            full[axis], full[rank + axis] = pads[i], pads[len(axes) + i]
        pads = full
    rank = len(pads) // 2
    if mode != "constant" or any(pads[:2] + pads[rank : rank + 2]) or rank not in (3, 4):
        raise b.unsupported(node, f"a {mode} padding of {pads} (cnnlab pads H and W with a value)")
    value = b.constant(node, 2, optional=True)
    begins, ends = pads[2:rank], pads[rank + 2 :]
    b.add_layer(node, _pad_layer(begins, ends, 0.0 if value is None else float(value)))


def _reduce(op: str, axes_become_input: int):
    """ReduceMean or ReduceSum: ``axes`` an attribute before ``axes_become_input``."""

    def convert(b, node, a):
        if b.opset < axes_become_input:
            axes = a.get("axes")
        else:
            axes = b.constant(node, 1, optional=True)
        if axes is None or len(axes) == 0:
            axes = range(b.rank(node.input[0]))
        keepdims = bool(a.get("keepdims", 1))
        b.add_op(node, op, axis=tuple(int(i) for i in axes), keepdims=keepdims)

    return convert


def reshape(b, node, a):
    shape = tuple(int(n) for n in b.constant(node, 1))
    b.add_op(node, "reshape", shape=shape, allowzero=bool(a.get("allowzero", 0)))


CONVERTERS = {
    "Add": add,
    "AveragePool": average_pool,
    "BatchNormalization": batch_normalization,
    "Clip": clip,
    "Concat": lambda b, node, a: b.add_op(node, "concatenate", axis=a["axis"]),
    "Conv": conv,
    "Dropout": dropout,
    "Flatten": lambda b, node, a: b.add_op(node, "flatten", axis=a.get("axis", 1)),
    "Gemm": gemm,
    "GlobalAveragePool": global_average_pool,
    "Identity": lambda b, node, a: b.alias(node.output[0], node.input[0]),
    "LeakyRelu": lambda b, node, a: b.add_layer(node, LeakyReLU(a.get("alpha", 0.01))),
    "LogSoftmax": lambda b, node, a: softmax(b, node, a, LogSoftmax),
    "MatMul": matmul,
    "MaxPool": max_pool,
    "Mul": lambda b, node, a: b.add_op(node, "multiply"),
    "ReduceMean": _reduce("mean", axes_become_input=18),
    "ReduceSum": _reduce("sum", axes_become_input=13),
    "Relu": lambda b, node, a: b.add_layer(node, ReLU()),
    "Pad": pad,
    "Reshape": reshape,
    "Sigmoid": lambda b, node, a: b.add_layer(node, Sigmoid()),
    "Softmax": softmax,
    "Sub": lambda b, node, a: b.add_op(node, "subtract"),
    "Tanh": lambda b, node, a: b.add_layer(node, Tanh()),
}
