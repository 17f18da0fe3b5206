"""Each cnnlab leaf layer written as the ``torch.nn`` constructor call that builds its twin.

``layer_code(module)`` returns text such as ``nn.Conv2d(1, 6, 5, padding=2)``: torch's
class and argument names, arguments at torch's default left out. A layer with no torch
twin (or a setting torch's twin lacks) gets ``None``, with the reason in ``refusal``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import nn as cnn


def layer_code(module: cnn.Module) -> str | None:
    """The torch constructor call for ``module``, or None when it has no torch twin."""
    writer = WRITERS.get(type(module))
    if writer is None or refusal(module):
        return None
    return writer(module)


def refusal(module: cnn.Module) -> str:
    """Why ``module`` cannot be written for torch ("" when it can)."""
    if type(module) not in WRITERS:
        return f"{type(module).__name__} has no torch.nn twin"
    if isinstance(module, (cnn.BatchNorm1d, cnn.BatchNorm2d)):
        if module.affine and module.bias is None:
            return f"{type(module).__name__}(bias=False) has no torch.nn twin (torch's has a bias)"
    return ""


def call(name: str, positional: tuple = (), **keywords) -> str:
    """``nn.name(p1, p2, k=v)``, keywords whose value is their default (``_D``) left out."""
    parts = [literal(value) for value in positional]
    parts += [
        f"{key}={literal(value)}" for key, (value, default) in keywords.items() if value != default
    ]
    return f"nn.{name}({', '.join(parts)})"


def literal(value) -> str:
    """Python source for a number, string, None, or a tuple of them (pairs of equal ints
    written as one int, as one writes ``kernel_size=3``)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (tuple, list)):
        items = [v.item() if isinstance(v, np.generic) else v for v in value]
        if len(items) > 1 and all(isinstance(v, int) and v == items[0] for v in items):
            return repr(items[0])
        if len(items) == 1 and isinstance(items[0], int):
            return repr(items[0])
        return repr(tuple(items))
    if isinstance(value, str):
        return '"' + value + '"'  # names such as "circular" or "same", as ruff writes them
    return repr(value)


def _conv(module) -> str:
    keywords = {
        "stride": (module.stride, 1),
        "padding": (module.padding, 0),
        "dilation": (module.dilation, 1),
        "groups": (module.groups, 1),
        "bias": (module.bias is not None, True),
        "padding_mode": (module.padding_mode, "zeros"),
    }
    positional = (module.in_channels, module.out_channels, module.kernel_size)
    return call(type(module).__name__, positional, **_same_as_int(keywords))


def _pool(module) -> str:
    window, name = module.window, type(module).__name__
    keywords = {"stride": (window.stride, window.kernel_size), "padding": (window.padding, 0)}
    if name.startswith("Max"):
        keywords["dilation"] = (window.dilation, 1)
    keywords["ceil_mode"] = (module.ceil_mode, False)
    if name.startswith("Avg"):
        keywords["count_include_pad"] = (module.count_include_pad, True)
    return call(name, (window.kernel_size,), **_same_as_int(keywords))


def _same_as_int(keywords: dict) -> dict:
    """Compare tuples of equal ints with their one-int defaults (``padding=(0, 0)`` is 0)."""
    out = {}
    for key, (value, default) in keywords.items():
        if isinstance(value, tuple) and value and all(v == value[0] for v in value):
            if not isinstance(default, tuple):
                value = value[0]
            elif all(d == default[0] for d in default):
                value, default = value[0], default[0]
        out[key] = (value, default)
    return out


def _batch_norm(module) -> str:
    return call(
        type(module).__name__,
        (module.num_features,),
        eps=(module.eps, 1e-5),
        momentum=(module.momentum, 0.1),
        affine=(module.affine, True),
        track_running_stats=(module.track_running_stats, True),
    )


def _attributes(name: str, *positional: str, **keywords) -> Callable:
    """A writer that reads the constructor's arguments off attributes of the same name."""

    def write(module) -> str:
        return call(
            name,
            tuple(getattr(module, p) for p in positional),
            **{key: (getattr(module, key), default) for key, default in keywords.items()},
        )

    return write


def _fixed(name: str) -> Callable:
    return lambda module: f"nn.{name}()"


WRITERS: dict[type, Callable[[cnn.Module], str]] = {
    cnn.Conv1d: _conv,
    cnn.Conv2d: _conv,
    cnn.Linear: lambda m: call(
        "Linear", (m.in_features, m.out_features), bias=(m.bias is not None, True)
    ),
    cnn.BatchNorm1d: _batch_norm,
    cnn.BatchNorm2d: _batch_norm,
    cnn.MaxPool1d: _pool,
    cnn.MaxPool2d: _pool,
    cnn.AvgPool1d: _pool,
    cnn.AvgPool2d: _pool,
    cnn.AdaptiveAvgPool1d: lambda m: call("AdaptiveAvgPool1d", (m.output_size,)),
    cnn.AdaptiveAvgPool2d: lambda m: call("AdaptiveAvgPool2d", (m.output_size,)),
    cnn.Dropout: _attributes("Dropout", p=0.5),
    cnn.Identity: _fixed("Identity"),
    cnn.Flatten: _attributes("Flatten", start_dim=1, end_dim=-1),
    cnn.Unflatten: _attributes("Unflatten", "dim", "unflattened_size"),
    cnn.ReLU: _fixed("ReLU"),
    cnn.ReLU6: _fixed("ReLU6"),
    cnn.Sigmoid: _fixed("Sigmoid"),
    cnn.Tanh: _fixed("Tanh"),
    cnn.SELU: _fixed("SELU"),
    cnn.Mish: _fixed("Mish"),
    cnn.Softsign: _fixed("Softsign"),
    cnn.Tanhshrink: _fixed("Tanhshrink"),
    cnn.LogSigmoid: _fixed("LogSigmoid"),
    cnn.LeakyReLU: _attributes("LeakyReLU", negative_slope=0.01),
    cnn.ELU: _attributes("ELU", alpha=1.0),
    cnn.CELU: _attributes("CELU", alpha=1.0),
    cnn.GELU: _attributes("GELU", approximate="none"),
    cnn.GLU: _attributes("GLU", dim=-1),
    cnn.Softmax: _attributes("Softmax", dim=None),
    cnn.LogSoftmax: _attributes("LogSoftmax", dim=None),
    cnn.Hardshrink: _attributes("Hardshrink", lambd=0.5),
    cnn.Softshrink: _attributes("Softshrink", lambd=0.5),
    cnn.Hardtanh: _attributes("Hardtanh", min_val=-1.0, max_val=1.0),
    cnn.Threshold: _attributes("Threshold", "threshold", "value"),
    cnn.RReLU: _attributes("RReLU", lower=1 / 8, upper=1 / 3),
    cnn.LocalResponseNorm: _attributes("LocalResponseNorm", "size", alpha=1e-4, beta=0.75, k=1.0),
    cnn.CrossMapLRN2d: _attributes("CrossMapLRN2d", "size", alpha=1e-4, beta=0.75, k=1.0),
    cnn.PixelShuffle: _attributes("PixelShuffle", "upscale_factor"),
    cnn.PixelUnshuffle: _attributes("PixelUnshuffle", "downscale_factor"),
    cnn.CosineSimilarity: _attributes("CosineSimilarity", dim=1, eps=1e-8),
    cnn.PairwiseDistance: _attributes("PairwiseDistance", p=2.0, eps=1e-6, keepdim=False),
}
