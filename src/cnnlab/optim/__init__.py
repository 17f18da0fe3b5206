"""Optimizers and learning-rate schedules.

Optimizers (update ``Parameter.data`` in place from ``Parameter.grad``; one group, ``lr``)
    Optimizer, SGD, Adam, AdamW, RMSprop
Schedules (change ``optimizer.lr`` once per epoch)
    LRScheduler, StepLR, CosineAnnealingLR
Schedules stepped once per batch
    OneCycleLR (a warm-up to max_lr, then annealing far below the start)
"""

from .adam import Adam, AdamW
from .lr_scheduler import CosineAnnealingLR, LRScheduler, StepLR
from .one_cycle import OneCycleLR
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "SGD",
    "Adam",
    "AdamW",
    "CosineAnnealingLR",
    "LRScheduler",
    "OneCycleLR",
    "Optimizer",
    "RMSprop",
    "StepLR",
]
