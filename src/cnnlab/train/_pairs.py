"""Training data as given to ``fit`` and ``evaluate``: a ``Dataset`` or a pair of arrays."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .._validation import check_array, check_float_array, check_positive_int
from ..data.dataset import Dataset


@dataclass(frozen=True)
class ArrayPairs:
    """Inputs and targets of any kind (regression targets too), batched like a ``Dataset``."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def batches(
        self, batch_size: int, rng: np.random.Generator | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(inputs, targets)`` batches; shuffled when an ``rng`` is given."""
        batch_size = check_positive_int("batch_size", batch_size)
        order = rng.permutation(len(self)) if rng is not None else None
        for start in range(0, len(self), batch_size):
            chosen = slice(start, start + batch_size)
            if order is not None:
                chosen = order[chosen]
            yield self.images[chosen], self.labels[chosen]


def as_batch_source(name: str, value) -> Dataset | ArrayPairs:
    """Accept a ``Dataset`` or a pair ``(inputs, targets)`` with one target per input."""
    if isinstance(value, (Dataset, ArrayPairs)):
        source = value
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        inputs = check_float_array(f"{name}[0]", value[0])
        targets = check_array(f"{name}[1]", value[1], allow_complex=False)
        if inputs.ndim == 0 or targets.ndim == 0 or len(inputs) != len(targets):
            raise ValueError(
                f"`{name}` must pair one target with each input. Received: {name}[0] with "
                f"shape {inputs.shape}, {name}[1] with shape {targets.shape}."
            )
        source = ArrayPairs(inputs, targets)
    else:
        raise TypeError(
            f"`{name}` must be a cnnlab Dataset or a pair (inputs, targets) of arrays. "
            f"Received: {name} of type {type(value).__name__}."
        )
    if len(source) == 0:
        raise ValueError(f"`{name}` must hold at least one sample. Received: {name} with 0.")
    return source
