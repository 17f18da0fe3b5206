"""The main jobs, as library calls; the command line is a thin layer over them.

train_classifier   load a dataset, train, evaluate, and write weights, curves and history
predict_images     top classes of image files with a model written by train_classifier
TrainedModel       a trained network with its classes and input normalisation
load_dataset       a dataset by name (shapes, mnist, fashion-mnist, cifar10) or folder
resolve_model      a zoo name or a trained weights file, with its input shape
show_network       activation maps of every layer for one image, and the kernels
"""

from .bundle import TrainedModel, load_trained, save_trained
from .datasets import DATASETS, load_dataset
from .look_inside import NamedModel, Shown, parse_shape, resolve_model, show_network
from .predict import Prediction, predict_images
from .train import TrainResult, train_classifier

__all__ = [
    "DATASETS",
    "NamedModel",
    "Shown",
    "Prediction",
    "TrainResult",
    "TrainedModel",
    "load_dataset",
    "load_trained",
    "parse_shape",
    "predict_images",
    "resolve_model",
    "save_trained",
    "show_network",
    "train_classifier",
]
