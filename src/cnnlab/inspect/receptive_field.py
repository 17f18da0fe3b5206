"""Receptive fields: which input samples each unit of each layer can see.

Per spatial axis a field has a ``size`` r (input samples), a ``jump`` j (distance on the
input between neighbouring units: the effective stride) and a ``start`` (input coordinate
of the centre of the first unit's field). A sliding window of kernel k, stride s, padding
p (before the first sample) and dilation d changes them by the recurrences of Araujo,
Norris and Sim, "Computing Receptive Fields of Convolutional Neural Networks" (Distill,
2019), with the dilated kernel ``k_eff = d (k - 1) + 1``::

    r_out = r_in + (k_eff - 1) j_in
    j_out = j_in s
    start_out = start_in + ((k_eff - 1) / 2 - p) j_in

Conventions: elementwise layers (activations, batch norm, dropout) change nothing. A
layer that sees every position at once (global average pooling, ``Flatten``, a
``Linear`` on a map) is one window with ``k = s = n`` (the number of positions) and no
padding, so its output sees the union of all fields: for a padded network that union
reaches past the input's border. Layers after a ``Flatten`` keep that whole field.
Branches joined by an op (``ops.add`` in a residual block, ``ops.concatenate``) take the
union of their paths' fields (:func:`op_field`). A layer of a kind not listed here has
no known field (``None``), nor do the layers after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..functional.conv import conv_padding
from ..nn import (
    CELU,
    ELU,
    GELU,
    SELU,
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AvgPool1d,
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Conv1d,
    Conv2d,
    Dropout,
    Flatten,
    Hardshrink,
    Hardtanh,
    Identity,
    LeakyReLU,
    Linear,
    LogSigmoid,
    LogSoftmax,
    MaxPool1d,
    MaxPool2d,
    Mish,
    Module,
    ReLU,
    ReLU6,
    RReLU,
    Sigmoid,
    Softmax,
    Softshrink,
    Softsign,
    Tanh,
    Tanhshrink,
    Threshold,
)

ELEMENTWISE = (
    ReLU, ReLU6, LeakyReLU, ELU, GELU, CELU, SELU, RReLU, Sigmoid, LogSigmoid, Tanh, Mish,
    Softsign, Hardtanh, Hardshrink, Softshrink, Tanhshrink, Threshold, Identity, Dropout,
    BatchNorm1d, BatchNorm2d,
)  # fmt: skip
POOLS = (MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d)
GLOBAL = (AdaptiveAvgPool1d, AdaptiveAvgPool2d, Flatten, Linear)


@dataclass(frozen=True)
class ReceptiveField:
    """Size, jump and start of a layer's receptive field, one entry per spatial axis.

    >>> field = ReceptiveField.of_input(2).window((5, 5), (1, 1), (2, 2), (1, 1))
    >>> field.window((2, 2), (2, 2), (0, 0), (1, 1))
    ReceptiveField(size=(6, 6), jump=(2, 2), start=(0.5, 0.5))
    """

    size: tuple[int, ...]
    jump: tuple[int, ...]
    start: tuple[float, ...]

    @classmethod
    def of_input(cls, ndim: int) -> ReceptiveField:
        """The input itself: every sample sees only itself."""
        return cls((1,) * ndim, (1,) * ndim, (0.0,) * ndim)

    @property
    def ndim(self) -> int:
        return len(self.size)

    def window(
        self,
        kernel_size: Sequence[int],
        stride: Sequence[int],
        padding: Sequence[int],
        dilation: Sequence[int],
    ) -> ReceptiveField:
        """The field after a sliding window (convolution or pooling); ``padding`` is before."""
        size, jump, start = [], [], []
        geometry = (kernel_size, stride, padding, dilation)
        for r, j, first, k, s, p, d in zip(
            self.size, self.jump, self.start, *geometry, strict=True
        ):
            k_eff = d * (k - 1) + 1
            size.append(r + (k_eff - 1) * j)
            jump.append(j * s)
            start.append(first + ((k_eff - 1) / 2 - p) * j)
        return ReceptiveField(tuple(size), tuple(jump), tuple(start))

    def whole(self, extent: Sequence[int]) -> ReceptiveField:
        """The field of a unit that sees all ``extent`` positions of each axis at once."""
        ones, zeros = (1,) * self.ndim, (0,) * self.ndim
        return self.window(tuple(extent), tuple(extent), zeros, ones)

    def interval(self, index: Sequence[int] | None = None) -> tuple[tuple[int, int], ...]:
        """First and last input coordinate seen by the unit at ``index`` (default: the first).

        >>> ReceptiveField((16, 16), (4, 4), (5.5, 5.5)).interval((2, 2))
        ((6, 21), (6, 21))
        """
        index = (0,) * self.ndim if index is None else tuple(index)
        bounds = []
        for r, j, first, i in zip(self.size, self.jump, self.start, index, strict=True):
            centre = first + i * j
            bounds.append((round(centre - (r - 1) / 2), round(centre + (r - 1) / 2)))
        return tuple(bounds)


def union(fields: Sequence[ReceptiveField]) -> tuple[ReceptiveField, str | None]:
    """The smallest field holding all ``fields`` (paths of a multi-branch block).

    Returns the field and, when the paths disagree on centre or jump, a sentence saying
    how; for centred paths the union is simply the largest field.

    >>> union([ReceptiveField((3,), (1,), (0.0,)), ReceptiveField((1,), (1,), (0.0,))])
    (ReceptiveField(size=(3,), jump=(1,), start=(0.0,)), None)
    """
    bounds = [field.interval() for field in fields]
    size, jump, start, problems = [], [], [], []
    for axis in range(fields[0].ndim):
        lo = min(b[axis][0] for b in bounds)
        hi = max(b[axis][1] for b in bounds)
        size.append(hi - lo + 1)
        start.append((lo + hi) / 2)
        jumps = sorted({field.jump[axis] for field in fields})
        jump.append(jumps[-1])
        starts = sorted({field.start[axis] for field in fields})
        if len(starts) > 1:
            problems.append(f"centres (start) {_listed(starts)} on axis {axis}")
        if len(jumps) > 1:
            problems.append(f"jumps {_listed(jumps)} on axis {axis}")
    problem = None
    if problems:
        problem = (
            "the receptive fields of its paths do not align: "
            + "; ".join(problems)
            + ". The field shown is their union"
        )
    return ReceptiveField(tuple(size), tuple(jump), tuple(start)), problem


def _listed(values) -> str:
    return ", ".join(f"{v:g}" for v in values)


def layer_field(
    module: Module,
    field: ReceptiveField | None,
    input_shape: tuple[int, ...],
    output_shape: tuple[int, ...],
) -> ReceptiveField | None:
    """The field of a leaf layer's output, from the field of its input (see module notes)."""
    if field is None:
        return None
    if len(input_shape) != field.ndim + 2:  # flattened already: every unit sees it all
        return field
    if isinstance(module, (Conv1d, Conv2d)):
        pairs = conv_padding(module.padding, module.kernel_size, module.stride, module.dilation)
        before = tuple(pair[0] for pair in pairs)
        return field.window(module.kernel_size, module.stride, before, module.dilation)
    if isinstance(module, POOLS):
        window = module.window
        return field.window(window.kernel_size, window.stride, window.padding, window.dilation)
    if isinstance(module, (AdaptiveAvgPool1d, AdaptiveAvgPool2d)) and any(
        n != 1 for n in output_shape[2:]
    ):
        return _adaptive_field(field, input_shape[2:], output_shape[2:])
    if isinstance(module, GLOBAL):
        if isinstance(module, Flatten) and len(output_shape) == len(input_shape):
            return field  # flattens nothing spatial (e.g. end_dim=1 of a (N, C, 1, 1) map)
        return field.whole(input_shape[2:])
    if isinstance(module, (Softmax, LogSoftmax)):
        axis = module.dim % len(input_shape) - 2
        if axis < 0:
            return field
        extent = tuple(n if a == axis else 1 for a, n in enumerate(input_shape[2:]))
        return field.whole(extent)
    if isinstance(module, ELEMENTWISE) and input_shape == output_shape:
        return field
    return None


def _adaptive_field(field: ReceptiveField, sizes, outputs) -> ReceptiveField | None:
    """Adaptive pooling to a grid: a plain window where each output divides its input
    (``k = s = n / out``); otherwise windows of two sizes, with no single field."""
    if any(n % o for n, o in zip(sizes, outputs, strict=True)):
        return None
    steps = tuple(n // o for n, o in zip(sizes, outputs, strict=True))
    return field.window(steps, steps, (0,) * len(steps), (1,) * len(steps))


JOINS = ("add", "subtract", "multiply", "concatenate")  # the output sees what each input saw
REDUCTIONS = ("mean", "sum")


def op_field(
    name: str, inputs: Sequence[tuple[ReceptiveField | None, tuple[int, ...]]], output_shape
) -> tuple[ReceptiveField | None, str | None]:
    """The field of an op's output from its recorded inputs' ``(field, shape)``.

    Returns the field and, for branches of equal shape whose fields do not align, a
    sentence saying how (a map times per-channel weights, as in squeeze-and-excitation,
    is no such case: the weights' 1x1 map is broadcast over every position).
    """
    if not inputs or any(field is None for field, _ in inputs):
        return None, None
    (field, shape), output_shape = inputs[0], tuple(output_shape)
    if name in JOINS:
        fields = [f for f, _ in inputs]
        joined, problem = union(fields) if len(fields) > 1 else (field, None)
        same_shape = all(tuple(s[2:]) == output_shape[2:] for _, s in inputs)
        return joined, problem if same_shape else None
    if len(shape) != field.ndim + 2:  # flattened already
        return field, None
    if output_shape[2:] == tuple(shape[2:]) and len(output_shape) == len(shape):
        return field, None  # the positions are kept (a reshape of channels, a slice of them)
    if name in REDUCTIONS or name in ("flatten", "reshape"):
        return field.whole(shape[2:]), None
    return None, None
