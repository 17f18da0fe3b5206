"""Dataset: images ``(N, C, H, W)`` float32, integer labels, and class names."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._validation import check_positive_int, received


@dataclass(frozen=True)
class Dataset:
    """Images, labels and class names, kept together and checked once.

    Parameters
    ----------
    images : ndarray, shape ``(N, C, H, W)`` (or ``(N, C, L)`` for 1-D signals)
        Converted to float32.
    labels : ndarray of int, shape ``(N,)``
        Class indices in ``[0, len(classes))``.
    classes : sequence of str
        The name of each class.

    Examples
    --------
    >>> data = Dataset(np.zeros((6, 1, 4, 4)), np.array([0, 1, 0, 1, 0, 1]), ("off", "on"))
    >>> len(data), data.num_classes, data.sample_shape
    (6, 2, (1, 4, 4))
    >>> train, test = data.split(0.5, rng=0)
    >>> len(train), len(test)
    (3, 3)
    >>> [x.shape for x, y in data.batches(4)]
    [(4, 1, 4, 4), (2, 1, 4, 4)]
    """

    images: np.ndarray
    labels: np.ndarray
    classes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        images = np.asarray(self.images)
        if images.ndim not in (3, 4):
            raise ValueError(
                "`images` must have shape (N, C, H, W) or (N, C, L). " + received(images=images)
            )
        labels = np.asarray(self.labels)
        if labels.ndim != 1 or len(labels) != len(images):
            raise ValueError(
                "`labels` must be one integer per image. Received: images with shape "
                f"{images.shape}, labels with shape {labels.shape}."
            )
        if len(labels) and not np.issubdtype(labels.dtype, np.integer):
            raise TypeError(f"`labels` must be integers. {received(labels=labels)}")
        classes = tuple(str(c) for c in self.classes) or tuple(
            str(i) for i in range(int(labels.max(initial=-1)) + 1)
        )
        if len(labels) and (labels.min() < 0 or labels.max() >= len(classes)):
            raise ValueError(
                f"`labels` must lie in [0, {len(classes)}) for {len(classes)} classes. "
                f"Received: labels from {labels.min()} to {labels.max()}."
            )
        object.__setattr__(self, "images", np.ascontiguousarray(images, dtype=np.float32))
        object.__setattr__(self, "labels", labels.astype(np.int64, copy=False))
        object.__setattr__(self, "classes", classes)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index) -> Dataset:
        """A subset by slice, integer array or boolean mask (always a ``Dataset``)."""
        if isinstance(index, (int, np.integer)):
            index = [index]
        return Dataset(self.images[index], self.labels[index], self.classes)

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    @property
    def sample_shape(self) -> tuple[int, ...]:
        return tuple(self.images.shape[1:])

    def split(
        self, fraction: float, rng: np.random.Generator | int | None = None
    ) -> tuple[Dataset, Dataset]:
        """Shuffle, then split into ``(first, rest)`` with ``fraction`` of the samples first."""
        if not 0 < fraction < 1:
            raise ValueError(
                f"`fraction` must lie strictly between 0 and 1. {received(fraction=fraction)}"
            )
        order = np.random.default_rng(rng).permutation(len(self))
        cut = int(round(fraction * len(self)))
        return self[order[:cut]], self[order[cut:]]

    def batches(
        self,
        batch_size: int,
        rng: np.random.Generator | None = None,
        drop_last: bool = False,
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(images, labels)`` batches; shuffled when an ``rng`` is given."""
        batch_size = check_positive_int("batch_size", batch_size)
        order = rng.permutation(len(self)) if rng is not None else None
        stop = len(self) - (len(self) % batch_size if drop_last else 0)
        for start in range(0, stop, batch_size):
            if order is None:
                yield (
                    self.images[start : start + batch_size],
                    self.labels[start : start + batch_size],
                )
            else:
                chosen = order[start : start + batch_size]
                yield self.images[chosen], self.labels[chosen]

    def num_batches(self, batch_size: int, drop_last: bool = False) -> int:
        full, rest = divmod(len(self), batch_size)
        return full + (1 if rest and not drop_last else 0)

    def class_counts(self) -> dict[str, int]:
        counts = np.bincount(self.labels, minlength=self.num_classes)
        return dict(zip(self.classes, counts.tolist(), strict=True))


def concatenate(parts: Sequence[Dataset]) -> Dataset:
    """Join datasets that share their classes and sample shape."""
    if not parts:
        raise ValueError("`parts` must hold at least one Dataset. Received: parts=[].")
    return Dataset(
        np.concatenate([p.images for p in parts]),
        np.concatenate([p.labels for p in parts]),
        parts[0].classes,
    )
