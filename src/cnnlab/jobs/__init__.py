"""The main jobs, as library calls; the command line is a thin layer over them.

train_classifier   load a dataset, train, evaluate, and write weights, curves and history
predict_images     top classes of image files with a model written by train_classifier
TrainedModel       a trained network with its classes and input normalisation
load_dataset       a dataset by name (shapes, mnist, fashion-mnist, cifar10) or folder
"""

from .bundle import TrainedModel, load_trained, save_trained
from .datasets import DATASETS, load_dataset
from .predict import Prediction, predict_images
from .train import TrainResult, train_classifier

__all__ = [
    "DATASETS",
    "Prediction",
    "TrainResult",
    "TrainedModel",
    "load_dataset",
    "load_trained",
    "predict_images",
    "save_trained",
    "train_classifier",
]
