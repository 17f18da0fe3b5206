"""Nested training state <-> JSON-ready data plus a flat dict of named arrays.

A checkpoint holds dicts (keyed by str or int), lists, tuples, numbers, strings, None and
arrays, nested: ``optimizer.state_dict()`` is ``{"state": {0: {"step": 3, "exp_avg":
array}}, ...}``. ``flatten`` moves every array into a flat dict under its dotted path
(``optimizer.state.0.exp_avg``) and leaves a marker in its place, so the arrays go into the
tensors of a ``.safetensors`` file and everything else into JSON in its header. Markers
(one-key dicts whose key starts with ``__``) keep what JSON would lose: int keys, tuples,
NumPy scalars.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._validation import received

_TENSOR, _SCALAR, _PAIRS, _TUPLE = "__tensor__", "__scalar__", "__pairs__", "__tuple__"


def flatten(tree: Any) -> tuple[Any, dict[str, np.ndarray]]:
    """Split ``tree`` into JSON-ready data and ``{path: array}``.

    >>> data, arrays = flatten({"step": 3, "state": {0: np.zeros(2)}, "betas": (0.9, 0.99)})
    >>> data["state"], data["betas"]
    ({'__pairs__': [[0, {'__tensor__': 'state.0'}]]}, {'__tuple__': [0.9, 0.99]})
    >>> arrays
    {'state.0': array([0., 0.])}
    >>> unflatten(data, arrays)
    {'step': 3, 'state': {0: array([0., 0.])}, 'betas': (0.9, 0.99)}
    """
    arrays: dict[str, np.ndarray] = {}

    def encode(value: Any, path: str) -> Any:
        child = (lambda key: f"{path}.{key}") if path else str
        if isinstance(value, np.ndarray):
            name, suffix = path or "array", 1
            while name in arrays:  # keys holding dots could meet another key's path
                name, suffix = f"{path}~{suffix}", suffix + 1
            arrays[name] = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("<"))
            return {_TENSOR: name}
        if isinstance(value, np.generic):
            return {_SCALAR: [value.dtype.str, encode(value.item(), path)]}
        if isinstance(value, Mapping):
            keys = [int(k) if isinstance(k, np.integer) else k for k in value]
            if any(isinstance(k, bool) or not isinstance(k, (str, int)) for k in keys):
                raise TypeError(f"State keys must be str or int. {received(keys=keys)}")
            items = [(k, encode(v, child(k))) for k, v in zip(keys, value.values(), strict=True)]
            if all(isinstance(k, str) and not k.startswith("__") for k in keys):
                return dict(items)
            return {_PAIRS: [list(item) for item in items]}
        if isinstance(value, tuple):
            return {_TUPLE: [encode(v, child(i)) for i, v in enumerate(value)]}
        if isinstance(value, list):
            return [encode(v, child(i)) for i, v in enumerate(value)]
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise TypeError(
            f"Training state must be made of dicts, lists, numbers, strings and arrays; "
            f"{path or 'the state'} is not. Received: a value of type {type(value).__name__}."
        )

    return encode(tree, ""), arrays


def unflatten(data: Any, arrays: Mapping[str, np.ndarray]) -> Any:
    """The inverse of :func:`flatten`; a marker naming a missing array is a ``ValueError``."""
    if isinstance(data, list):
        return [unflatten(v, arrays) for v in data]
    if not isinstance(data, dict):
        return data
    if len(data) == 1:
        ((key, value),) = data.items()
        if key == _TENSOR:
            if value not in arrays:
                raise ValueError(f"The state names an array that is missing: {value!r}.")
            return arrays[value]
        if key == _SCALAR:
            dtype, item = value
            return np.dtype(dtype).type(unflatten(item, arrays))
        if key == _PAIRS:
            return {k: unflatten(v, arrays) for k, v in value}
        if key == _TUPLE:
            return tuple(unflatten(v, arrays) for v in value)
    return {k: unflatten(v, arrays) for k, v in data.items()}
