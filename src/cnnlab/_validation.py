"""Argument checks: the one place where cnnlab's error messages are formatted.

Every message follows one formula: what is wrong, then what was received::

    `stride` must be a positive int or a tuple of 2 of them. Received: stride=(1, 0).

Functions here raise ``ValueError`` for a value of the right kind that is out of range and
``TypeError`` for a value of the wrong kind. They return the value normalised (a tuple of
ints, a float array), so callers use what comes back.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np


def received(**values: Any) -> str:
    """Format the ``Received: name=value.`` tail of an error message.

    Arrays are shown by shape and dtype, not by their contents.

    >>> received(stride=(1, 0))
    'Received: stride=(1, 0).'
    >>> received(x=np.zeros((2, 3)))
    'Received: x with shape (2, 3) and dtype float64.'
    """
    parts = []
    for name, value in values.items():
        if isinstance(value, np.ndarray):
            parts.append(f"{name} with shape {value.shape} and dtype {value.dtype}")
        else:
            parts.append(f"{name}={value!r}")
    return "Received: " + ", ".join(parts) + "."


def closest_names(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The names in ``choices`` that look most like ``name`` (for 'did you mean')."""
    return difflib.get_close_matches(str(name), list(choices), n=n, cutoff=0.5)


def check_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    """Check that ``value`` is one of ``choices``; suggest the closest names otherwise.

    >>> check_choice("mode", "same", ("full", "same", "valid"))
    'same'
    >>> check_choice("mode", "vaild", ("full", "same", "valid"))
    Traceback (most recent call last):
    ...
    ValueError: `mode` must be one of 'full', 'same', 'valid' (did you mean 'valid'?). Received: ...
    """
    if isinstance(value, str) and value in choices:
        return value
    options = ", ".join(repr(c) for c in choices)
    hint = closest_names(str(value), choices)
    suggestion = f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else ""
    raise ValueError(f"`{name}` must be one of {options}{suggestion}. {received(**{name: value})}")


def _is_int(value: Any) -> bool:
    if type(value) is int:  # the common case, without the slower ABC check below
        return True
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_parity(name: str, value: Any, minimum: int, parity: str) -> int:
    """An int of at least ``minimum`` that is ``"odd"`` or ``"even"``."""
    message = f"`{name}` must be an {parity} int >= {minimum}. {received(**{name: value})}"
    if not _is_int(value):
        raise TypeError(message)
    if value < minimum or value % 2 != (parity == "odd"):
        raise ValueError(message)
    return int(value)


def _check_position(name: str, value: Any, length: int, description: str) -> int:
    """An int in ``[-length, length)`` (Python's negative indexing), returned non-negative."""
    message = f"`{name}` must be {description}, in [{-length}, {length - 1}]. " + received(
        **{name: value}
    )
    if not _is_int(value):
        raise TypeError(message)
    if not -length <= value < length:
        raise ValueError(message)
    return int(value) % length


def check_int_tuple(
    name: str, value: Any, n: int, *, minimum: int = 1, description: str | None = None
) -> tuple[int, ...]:
    """Normalise an int or a sequence of ``n`` ints, each at least ``minimum``.

    >>> check_int_tuple("stride", 2, 2)
    (2, 2)
    >>> check_int_tuple("stride", (1, 0), 2)
    Traceback (most recent call last):
    ...
    ValueError: `stride` must be a positive int or a tuple of 2 of them. Received: stride=(1, 0).
    """
    if _is_int(value):
        items: tuple[Any, ...] = (value,) * n
    elif isinstance(value, (tuple, list)) and len(value) == n and all(_is_int(v) for v in value):
        items = tuple(value)
    else:
        error = ValueError if isinstance(value, (tuple, list, numbers.Number)) else TypeError
        raise error(_int_tuple_message(name, value, n, minimum, description))
    if any(v < minimum for v in items):
        raise ValueError(_int_tuple_message(name, value, n, minimum, description))
    return tuple(int(v) for v in items)


def _int_tuple_message(name: str, value: Any, n: int, minimum: int, description: str | None):
    if description is None:
        description = {1: "a positive int", 0: "a non-negative int"}.get(
            minimum, f"an int >= {minimum}"
        )
    return f"`{name}` must be {description} or a tuple of {n} of them. " + received(**{name: value})


def check_positive_int(name: str, value: Any) -> int:
    """Check a single positive int.

    >>> check_positive_int("epochs", 3)
    3
    """
    if not _is_int(value):
        raise TypeError(f"`{name}` must be a positive int. {received(**{name: value})}")
    if value < 1:
        raise ValueError(f"`{name}` must be a positive int. {received(**{name: value})}")
    return int(value)


def check_positive_float(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """Check a single finite positive (or non-negative) real number.

    >>> check_positive_float("sigma", 1.5)
    1.5
    """
    kind = "a non-negative number" if allow_zero else "a positive number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be {kind}. {received(**{name: value})}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"`{name}` must be {kind}. {received(**{name: value})}")
    return value


def check_array(
    name: str,
    value: Any,
    *,
    ndim: int | Sequence[int] | None = None,
    min_ndim: int | None = None,
    finite: bool = False,
    allow_complex: bool = True,
) -> np.ndarray:
    """Convert ``value`` to an array and check its number of dimensions and values.

    ``ndim`` is an exact count (or a sequence of allowed counts); ``min_ndim`` a lower bound.
    Strings, objects and other non-numeric data are refused with a ``TypeError``.

    >>> check_array("image", [[1, 2], [3, 4]], ndim=2).shape
    (2, 2)
    >>> check_array("image", [1, 2], ndim=(2, 3))
    Traceback (most recent call last):
    ...
    ValueError: `image` must have 2 or 3 dimensions. Received: image with shape (2,) and dtype ...
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"`{name}` must be a numeric array. Received: {name} of type {type(value).__name__}."
        ) from error
    numeric = np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
    if not numeric or (not allow_complex and np.iscomplexobj(array)):
        kinds = "a numeric" if allow_complex else "a real-valued"
        raise TypeError(f"`{name}` must be {kinds} array. {received(**{name: array})}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            counts = " or ".join(str(d) for d in allowed)
            raise ValueError(f"`{name}` must have {counts} dimensions. {received(**{name: array})}")
    if min_ndim is not None and array.ndim < min_ndim:
        raise ValueError(
            f"`{name}` must have at least {min_ndim} dimensions. {received(**{name: array})}"
        )
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(
            f"`{name}` must hold only finite values (no NaN or Inf). {received(**{name: array})}"
        )
    return array


def check_same_ndim(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Check that two arrays have the same number of dimensions; show both shapes otherwise."""
    if a.ndim != b.ndim:
        raise ValueError(
            f"`{name_a}` and `{name_b}` must have the same number of dimensions. "
            f"Received: {name_a} with shape {a.shape}, {name_b} with shape {b.shape}."
        )


def check_same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Check that two arrays have the same shape; show both shapes otherwise.

    >>> check_same_shape("input", np.zeros((2, 3)), "target", np.zeros(2))
    Traceback (most recent call last):
    ...
    ValueError: `input` and `target` must have the same shape. Received: input with shape ...
    """
    if a.shape != b.shape:
        raise ValueError(
            f"`{name_a}` and `{name_b}` must have the same shape. "
            f"Received: {name_a} with shape {a.shape}, {name_b} with shape {b.shape}."
        )


def check_probability(name: str, value: Any, *, include_one: bool = True) -> float:
    """Check a probability in [0, 1] (or [0, 1) when ``include_one`` is false).

    >>> check_probability("p", 0.5, include_one=False)
    0.5
    >>> check_probability("p", 1.0, include_one=False)
    Traceback (most recent call last):
    ...
    ValueError: `p` must be a probability in [0, 1). Received: p=1.0.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(_probability_message(name, value, include_one))
    probability = float(value)
    if not (0.0 <= probability <= 1.0) or (probability == 1.0 and not include_one):
        raise ValueError(_probability_message(name, value, include_one))
    return probability


def _probability_message(name: str, value: Any, include_one: bool) -> str:
    """Built only on failure: losses check their options on every call."""
    interval = "[0, 1]" if include_one else "[0, 1)"
    return f"`{name}` must be a probability in {interval}. {received(**{name: value})}"


def check_finite_loss_input(name: str, value: np.ndarray) -> None:
    """Refuse NaN or Inf reaching a loss: the usual sign of a diverging training run.

    >>> check_finite_loss_input("logits", np.array([0.0, np.nan]))
    Traceback (most recent call last):
    ...
    ValueError: The loss received non-finite logits (NaN or Inf): ... try a lower learning rate ...
    """
    if not np.isfinite(value).all():
        raise ValueError(
            f"The loss received non-finite {name} (NaN or Inf): training has probably "
            f"diverged; try a lower learning rate (or look for NaN in the data). "
            f"{received(**{name: value})}"
        )


def check_float_array(name: str, value: Any, layout: str | None = None) -> np.ndarray:
    """A real floating-point array; ints and bools become float32, the library's default.

    ``layout`` names the expected axes, e.g. ``"(N, C, H, W)"``, and fixes their number.
    Float64 stays float64 (never a silent cast either way).

    >>> check_float_array("input", np.zeros((2, 3), dtype=np.uint8)).dtype
    dtype('float32')
    >>> check_float_array("input", np.zeros((3, 8, 8)), layout="(N, C, H, W)")
    Traceback (most recent call last):
    ...
    ValueError: `input` must have 4 dimensions (N, C, H, W). Received: input with shape (3, 8, 8)...
    """
    array = check_array(name, value, allow_complex=False)
    if layout is not None and array.ndim != layout.count(",") + 1:
        raise ValueError(
            f"`{name}` must have {layout.count(',') + 1} dimensions {layout}. "
            f"{received(**{name: array})}"
        )
    return array if np.issubdtype(array.dtype, np.floating) else array.astype(np.float32)


def check_axis(name: str, value: Any, ndim: int) -> int:
    """An axis of an array with ``ndim`` dimensions, normalised to be non-negative.

    >>> check_axis("dim", -1, 2)
    1
    >>> check_axis("dim", 2, 2)
    Traceback (most recent call last):
    ...
    ValueError: `dim` must be an axis of an input with 2 dimensions, in [-2, 1]. Received: dim=2.
    """
    return _check_position(name, value, ndim, f"an axis of an input with {ndim} dimensions")


def check_real(name: str, value: Any) -> float:
    """A finite real number of any sign.

    >>> check_real("negative_slope", 0.2)
    0.2
    """
    message = f"`{name}` must be a finite real number. {received(**{name: value})}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(message)
    if not np.isfinite(value):
        raise ValueError(message)
    return float(value)


def check_not_empty(name: str, array: np.ndarray) -> None:
    """Refuse an array with no elements.

    >>> check_not_empty("a", np.zeros((0, 3)))
    Traceback (most recent call last):
    ...
    ValueError: `a` must not be empty. Received: a with shape (0, 3) and dtype float64.
    """
    if array.size == 0:
        raise ValueError(f"`{name}` must not be empty. {received(**{name: array})}")


def check_nested_shapes(
    name_a: str, a: np.ndarray, name_b: str, b: np.ndarray, *, context: str = ""
) -> None:
    """Check that one array is at least as large as the other in every dimension.

    >>> a, v = np.zeros((3, 5)), np.zeros((4, 4))
    >>> check_nested_shapes("a", a, "v", v, context=" in 'valid' mode")
    Traceback (most recent call last):
    ...
    ValueError: `a` or `v` must be at least as large as the other in every dimension in 'valid'
    mode. Received: a with shape (3, 5), v with shape (4, 4).
    """
    a_covers = all(m >= n for m, n in zip(a.shape, b.shape, strict=True))
    b_covers = all(n >= m for m, n in zip(a.shape, b.shape, strict=True))
    if not (a_covers or b_covers):
        raise ValueError(
            f"`{name_a}` or `{name_b}` must be at least as large as the other in every "
            f"dimension{context}. "
            f"Received: {name_a} with shape {a.shape}, {name_b} with shape {b.shape}."
        )


def check_callable(name: str, value: Any, description: str = "a callable") -> Any:
    """Check that ``value`` can be called.

    >>> check_callable("f", 3.0)
    Traceback (most recent call last):
    ...
    TypeError: `f` must be a callable. Received: f=3.0.
    """
    if not callable(value):
        raise TypeError(f"`{name}` must be {description}. {received(**{name: value})}")
    return value


def check_vectorised_call(name: str, function: Any, x: np.ndarray) -> np.ndarray:
    """Call a user's ``function`` on the array ``x``; its values must broadcast to ``x``'s shape.

    >>> check_vectorised_call("f", np.cos, np.zeros(2))
    array([1., 1.])
    >>> import math
    >>> check_vectorised_call("f", math.cos, np.zeros(2))
    Traceback (most recent call last):
    ...
    TypeError: `f` must take a NumPy array and return an array of its shape (write it with NumPy
    functions, e.g. np.exp rather than math.exp). Received: f=<built-in function cos>, which
    raised TypeError: ...
    """
    message = (
        f"`{name}` must take a NumPy array and return an array of its shape (write it with "
        f"NumPy functions, e.g. np.exp rather than math.exp). Received: {name}={function!r}"
    )
    try:
        values = np.asarray(function(x))
    except (TypeError, ValueError) as error:
        raise TypeError(f"{message}, which raised {type(error).__name__}: {error}.") from error
    try:
        values = np.broadcast_to(values, x.shape)
    except ValueError as error:
        raise TypeError(
            f"{message}, which returned shape {values.shape} for an input of shape {x.shape}."
        ) from error
    if not (np.issubdtype(values.dtype, np.number) or values.dtype == np.bool_):
        raise TypeError(f"{message}, which returned values of dtype {values.dtype}.")
    return values


def check_interval(name: str, value: Any) -> tuple[float, float]:
    """A pair ``(lo, hi)`` of finite real numbers with ``lo < hi``.

    >>> check_interval("tau", (0, 2))
    (0.0, 2.0)
    >>> check_interval("tau", (1, 0))
    Traceback (most recent call last):
    ...
    ValueError: `tau` must be a pair (lo, hi) of finite numbers with lo < hi. Received: tau=(1, 0).
    """
    message = (
        f"`{name}` must be a pair (lo, hi) of finite numbers with lo < hi. "
        f"{received(**{name: value})}"
    )
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(message)
    if any(isinstance(v, bool) or not isinstance(v, numbers.Real) for v in value):
        raise TypeError(message)
    lo, hi = float(value[0]), float(value[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(message)
    return lo, hi


def check_odd_int(name: str, value: Any, *, minimum: int = 1) -> int:
    """An odd int of at least ``minimum``.

    >>> check_odd_int("n", 101, minimum=3)
    101
    >>> check_odd_int("n", 100, minimum=3)
    Traceback (most recent call last):
    ...
    ValueError: `n` must be an odd int >= 3. Received: n=100.
    """
    return _check_parity(name, value, minimum, "odd")


def check_keywords(owner: str, values: dict[str, Any], allowed: Sequence[str]) -> dict[str, Any]:
    """Refuse keyword arguments that ``owner`` does not take; suggest the closest names.

    >>> check_keywords("kernel 'mean'", {"size": 3}, ("size",))
    {'size': 3}
    >>> check_keywords("kernel 'mean'", {"sise": 3}, ("size",))
    Traceback (most recent call last):
    ...
    TypeError: The kernel 'mean' takes the parameters 'size' (did you mean 'size'?). Received: ...
    """
    unknown = [name for name in values if name not in allowed]
    if not unknown:
        return values
    takes = "takes no parameters"
    if allowed:
        takes = "takes the parameters " + ", ".join(repr(name) for name in allowed)
    hints = sorted({hint for name in unknown for hint in closest_names(name, allowed)})
    suggestion = f" (did you mean {' or '.join(repr(h) for h in hints)}?)" if hints else ""
    raise TypeError(
        f"The {owner} {takes}{suggestion}. {received(**{n: values[n] for n in unknown})}"
    )


def check_non_negative_int(name: str, value: Any) -> int:
    """Check a single int that may be zero.

    >>> check_non_negative_int("patience", 0)
    0
    >>> check_non_negative_int("patience", -1)
    Traceback (most recent call last):
    ...
    ValueError: `patience` must be a non-negative int. Received: patience=-1.
    """
    message = f"`{name}` must be a non-negative int. {received(**{name: value})}"
    if not _is_int(value):
        raise TypeError(message)
    if value < 0:
        raise ValueError(message)
    return int(value)


def check_mapping(name: str, value: Any, description: str = "a mapping") -> Mapping:
    """A non-empty mapping (a dict of layer name to array, of column name to values, ...).

    >>> check_mapping("activations", {"conv": 1})
    {'conv': 1}
    >>> check_mapping("activations", [1, 2], "a mapping of layer name to array")
    Traceback (most recent call last):
    ...
    TypeError: `activations` must be a mapping of layer name to array. Received: activations of
    type list.
    """
    if not isinstance(value, Mapping):
        raise TypeError(
            f"`{name}` must be {description}. Received: {name} of type {type(value).__name__}."
        )
    if not value:
        raise ValueError(f"`{name}` must not be empty. {received(**{name: value})}")
    return value


def check_index(name: str, value: Any, length: int, what: str = "the sequence") -> int:
    """An index into ``length`` items, negative ones counting from the end.

    >>> check_index("sample", -1, 4)
    3
    >>> check_index("sample", 4, 4, what="the batch")
    Traceback (most recent call last):
    ...
    ValueError: `sample` must be an index into the batch, in [-4, 3]. Received: sample=4.
    """
    return _check_position(name, value, length, f"an index into {what}")


def check_shape(name: str, value: Any, example: str = "(1, 28, 28)") -> tuple[int, ...]:
    """A non-empty tuple (or list) of positive ints: the shape of an array.

    >>> check_shape("input_shape", [1, 28, 28])
    (1, 28, 28)
    >>> check_shape("input_shape", (1, 0))
    Traceback (most recent call last):
    ...
    ValueError: `input_shape` must be a tuple of positive ints, e.g. (1, 28, 28). Received: ...
    """
    message = (
        f"`{name}` must be a tuple of positive ints, e.g. {example}. {received(**{name: value})}"
    )
    if not isinstance(value, (tuple, list)) or not all(_is_int(v) for v in value):
        raise TypeError(message)
    if not value or any(v < 1 for v in value):
        raise ValueError(message)
    return tuple(int(v) for v in value)


def check_box(name: str, value: Any) -> tuple[int, int, int, int]:
    """A rectangle of pixels ``(row_start, row_stop, col_start, col_stop)``, stops excluded.

    The numbers may be negative or past the image (a receptive field reaching into padding).

    >>> check_box("box", (-2, 3, 0, 5))
    (-2, 3, 0, 5)
    >>> check_box("box", (4, 2, 0, 5))
    Traceback (most recent call last):
    ...
    ValueError: `box` must be (row_start, row_stop, col_start, col_stop): 4 ints, each start
    below its stop. Received: box=(4, 2, 0, 5).
    """
    message = (
        f"`{name}` must be (row_start, row_stop, col_start, col_stop): 4 ints, each start "
        f"below its stop. {received(**{name: value})}"
    )
    if not isinstance(value, (tuple, list)) or len(value) != 4:
        raise TypeError(message)
    if not all(_is_int(v) for v in value):
        raise TypeError(message)
    top, bottom, left, right = (int(v) for v in value)
    if top >= bottom or left >= right:
        raise ValueError(message)
    return top, bottom, left, right


def check_even_int(name: str, value: Any, *, minimum: int = 2) -> int:
    """An even int of at least ``minimum`` (a lattice that splits into two sublattices).

    >>> check_even_int("size", 16, minimum=4)
    16
    >>> check_even_int("size", 15, minimum=4)
    Traceback (most recent call last):
    ...
    ValueError: `size` must be an even int >= 4. Received: size=15.
    """
    return _check_parity(name, value, minimum, "even")
