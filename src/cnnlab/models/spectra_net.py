"""A 1-D CNN for spectra: four conv stages, global average pooling, two dense layers."""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int
from ..nn import (
    AdaptiveAvgPool1d,
    BatchNorm1d,
    Conv1d,
    Flatten,
    Linear,
    MaxPool1d,
    ReLU,
    Sequential,
)
from ..nn.init import default_rng

#: Output channels of the four convolution stages.
CHANNELS = (8, 16, 16, 16)


def spectra_cnn(
    num_classes: int = 3, rng: np.random.Generator | int | None = None, hidden: int = 32
) -> Sequential:
    """Classify spectra ``(N, 1, L)``: which line shape, or how many peaks.

    ``4 x [conv1d k9 'same' -> batch norm -> ReLU] with maxpool 2 between them (8, 16, 16,
    16 channels) -> global average pool -> linear 16->hidden -> ReLU -> linear
    hidden->num_classes``

    Each unit of the last stage sees 121 points, several FWHMs of the widest line, so it
    can weigh a line's wings against its top (where Gaussian, Lorentzian and Voigt lines
    differ); the global pool makes the answer independent of where the line sits and of
    the spectrum's length.

    Parameters
    ----------
    num_classes : int, default 3
    rng : Generator or int, optional
        Source of the initial weights.
    hidden : int, default 32
        Width of the hidden dense layer.

    Returns
    -------
    Sequential
        Input ``(N, 1, L)``, output logits ``(N, num_classes)``.

    Examples
    --------
    >>> model = spectra_cnn(rng=0)
    >>> model(np.zeros((2, 1, 256), dtype=np.float32)).shape
    (2, 3)
    >>> model.num_parameters()
    6643
    """
    num_classes = check_positive_int("num_classes", num_classes)
    hidden = check_positive_int("hidden", hidden)
    rng = default_rng(rng)
    layers = []
    in_channels = 1
    for stage, channels in enumerate(CHANNELS):
        if stage:
            layers.append(MaxPool1d(2))
        layers += [
            Conv1d(in_channels, channels, kernel_size=9, padding=4, rng=rng),
            BatchNorm1d(channels),
            ReLU(),
        ]
        in_channels = channels
    return Sequential(
        *layers,
        AdaptiveAvgPool1d(1),
        Flatten(),
        Linear(in_channels, hidden, rng=rng),
        ReLU(),
        Linear(hidden, num_classes, rng=rng),
    )
