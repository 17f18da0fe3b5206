"""Training: the loop, its measurements, progress, callbacks and checkpoints.

fit             mini-batch training with a progress bar, checkpoints and exact resuming
evaluate        mean loss and accuracy over a dataset, in evaluation mode
predict_proba   softmax probabilities, batch by batch
History         per-epoch losses, accuracies, rates and times; CSV and JSON round trips
EarlyStopping   stop when a metric stops improving and restore the best weights
Callback        the base of callbacks (on_train_begin, on_epoch_end, on_train_end)
load_checkpoint the weights (and epoch, history) of a training checkpoint
TrainingDiverged, TrainingInterrupted   how a run ends early (NaN loss, Ctrl-C)
"""

from .callbacks import Callback, EarlyStopping
from .checkpoint import load_checkpoint
from .errors import TrainingDiverged, TrainingInterrupted
from .evaluate import Evaluation, evaluate, predict_proba
from .fit import fit
from .history import History

__all__ = [
    "Callback",
    "EarlyStopping",
    "Evaluation",
    "History",
    "TrainingDiverged",
    "TrainingInterrupted",
    "evaluate",
    "fit",
    "load_checkpoint",
    "predict_proba",
]
