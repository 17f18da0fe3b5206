"""The receptive field measured: which input samples move one unit's value.

The gradient of one unit of a layer with respect to the input is non-zero exactly on
the samples the unit depends on, provided nothing cancels or switches off by chance.
So the measurement runs on a float64 copy of the model made for it: every weight a
positive constant (``1 / fan_in``), biases zero, batch norm the identity, dropout off,
and an input of positive random values, so every ReLU passes its gradient and no sum
cancels. Max pooling sends its gradient to a single element of each window, which
would show a smaller field than the one the unit can see; in the copy each max pool
becomes the mean over the same window (same kernel, stride, padding and dilation).
The original model is not touched.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from .._validation import check_shape, received
from ..functional.conv import conv1d, conv2d, conv_backward
from ..nn import MaxPool1d, MaxPool2d, Module, Parameter
from .tracing import Tracer, find_layer


@dataclass(frozen=True)
class EmpiricalField:
    """Where the gradient of one output unit is non-zero on the input.

    ``unit`` is the unit's index on the layer's spatial axes (``()`` for a layer without
    spatial axes, whose features are then taken all together); ``first`` and ``last`` the
    first and last input index reached on each spatial axis; ``support`` the reached
    samples, of the input's spatial shape.
    """

    layer: str
    unit: tuple[int, ...]
    first: tuple[int, ...]
    last: tuple[int, ...]
    support: np.ndarray

    @property
    def size(self) -> tuple[int, ...]:
        return tuple(b - a + 1 for a, b in zip(self.first, self.last, strict=True))


def receptive_field_empirical(
    model: Module,
    input_shape: tuple[int, ...],
    layer: str | Module,
    index: tuple[int, ...] | None = None,
    rng: np.random.Generator | int = 0,
) -> EmpiricalField:
    """Measure the receptive field of one unit of ``layer`` by backpropagation.

    Parameters
    ----------
    model : Module
        Must accept a batch of ``input_shape`` (the whole model runs forward).
    input_shape : tuple of int
        One example's shape, ``(C, H, W)`` or ``(C, L)``; large enough that the field
        of the chosen unit is not clipped by the border, if the full field is wanted.
    layer : str or Module
        A name from ``model.named_modules()``, or the module itself.
    index : tuple of int, optional
        The unit's position on the layer's spatial axes (default: the centre one, on
        channel 0). For a layer without spatial axes, a feature index; by default all
        features together (after ``Flatten`` no feature has a position of its own).
    rng : Generator or int
        Source of the positive random input.

    Returns
    -------
    EmpiricalField

    Examples
    --------
    >>> from cnnlab.models import lenet5
    >>> field = receptive_field_empirical(lenet5(rng=0), (1, 28, 28), "5")
    >>> field.size, field.first
    ((16, 16), (6, 6))
    """
    name, _ = find_layer(model, layer)
    input_shape = check_shape("input_shape", input_shape)
    probe = _probe_copy(model)
    target = dict(probe.named_modules())[name]
    rng = np.random.default_rng(rng)
    x = rng.uniform(0.5, 1.5, size=(1, *input_shape))
    seed: dict[str, np.ndarray] = {}

    def add_seed(_, module, grad_out):
        if module is target and "unit" in seed:
            return grad_out + seed.pop("unit")  # once, on the first call only
        return None

    with Tracer(probe, on_backward=add_seed) as tracer:
        y = probe(x)
        output = tracer.output_of(target, name)
        unit, seed["unit"] = _unit_seed(output, index, name)
        grad = probe.backward(np.zeros_like(y))
    support = np.any(grad[0] != 0, axis=0)
    reached = np.nonzero(support)
    return EmpiricalField(
        layer=name,
        unit=unit,
        first=tuple(int(axis.min()) for axis in reached),
        last=tuple(int(axis.max()) for axis in reached),
        support=support,
    )


def _unit_seed(output: np.ndarray, index, name: str) -> tuple[tuple[int, ...], np.ndarray]:
    """The unit's index and a gradient that is 1 at that unit and 0 elsewhere."""
    spatial = output.shape[2:]
    seed = np.zeros_like(output)
    if output.ndim <= 2 and index is None:
        seed[0] = 1.0
        return (), seed
    if index is None:
        index = tuple((n - 1) // 2 for n in spatial)
    index = (index,) if isinstance(index, (int, np.integer)) else tuple(index)
    axes = output.shape[1:] if output.ndim <= 2 else spatial
    if len(index) != len(axes) or not all(0 <= i < n for i, n in zip(index, axes, strict=True)):
        raise ValueError(
            f"`index` must be a position inside the output of layer '{name}', whose "
            f"{'features' if output.ndim <= 2 else 'spatial axes'} have shape {axes}. "
            f"{received(index=index)}"
        )
    if output.ndim <= 2:
        seed[(0, *index)] = 1.0
    else:
        seed[(0, 0, *index)] = 1.0
    return tuple(int(i) for i in index), seed


def _probe_copy(model: Module) -> Module:
    """A float64 copy whose gradients vanish nowhere inside a field (see module notes)."""
    probe = copy.deepcopy(model).to(np.float64).eval()
    for module in probe.modules():
        for attribute, value in vars(module).items():
            if isinstance(value, Parameter):
                fan_in = int(np.prod(value.shape[1:])) if value.data.ndim >= 2 else 0
                fill = 1.0 / fan_in if fan_in else float(attribute == "weight")
                value.data.fill(fill)
        if hasattr(module, "running_mean"):  # batch norm: make it the identity
            module.running_mean = np.zeros_like(module.running_mean)
            module.running_var = np.ones_like(module.running_var)
        if isinstance(module, (MaxPool1d, MaxPool2d)):
            _pool_by_mean(module)
    return probe


def _pool_by_mean(pool: Module) -> None:
    """Make this max pool the mean over its windows (a depthwise convolution of ones)."""
    window, context = pool.window, {}
    convolve = conv2d if len(window.kernel_size) == 2 else conv1d

    def forward(x: np.ndarray) -> np.ndarray:
        channels = x.shape[1]
        weight = np.full((channels, 1, *window.kernel_size), 1.0 / np.prod(window.kernel_size))
        y, context["conv"] = convolve(
            x, weight, stride=window.stride, padding=window.padding,
            dilation=window.dilation, groups=channels,
        )  # fmt: skip
        return y

    def backward(grad_out: np.ndarray) -> np.ndarray:
        return conv_backward(grad_out, context["conv"])[0]

    pool.forward, pool.backward = forward, backward
