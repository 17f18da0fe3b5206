"""Optimizers and learning-rate schedules.

Optimizers (update ``Parameter.data`` in place from ``Parameter.grad``; one group, ``lr``)
    Optimizer, SGD, Adam, AdamW
Schedules (change ``optimizer.lr`` once per epoch)
    LRScheduler, StepLR, CosineAnnealingLR
"""

from .adam import Adam, AdamW
from .lr_scheduler import CosineAnnealingLR, LRScheduler, StepLR
from .optimizer import Optimizer
from .sgd import SGD

__all__ = [
    "SGD",
    "Adam",
    "AdamW",
    "CosineAnnealingLR",
    "LRScheduler",
    "Optimizer",
    "StepLR",
]
