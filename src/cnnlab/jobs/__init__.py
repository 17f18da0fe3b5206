"""The main jobs, as library calls; the command line is a thin layer over them.

train_classifier   load a dataset, train, evaluate, and write weights, curves and history
predict_images     top classes of image files with a model written by train_classifier
TrainedModel       a trained network with its classes and input normalisation
load_dataset       a dataset by name (shapes, mnist, fashion-mnist, cifar10) or folder
resolve_model      a model in any MODEL form (zoo name, train output, .pth, file.py:factory)
show_network       activation maps of every layer for one image, and the kernels

Each name is imported on first use, so a job loads only what it needs (``predict`` no
matplotlib, ``cnnlab train --help`` no training loop).
"""

from .._lazy import lazy_names

# name -> the module that defines it
NAMES = {
    "TrainedModel": "bundle",
    "load_trained": "bundle",
    "save_trained": "bundle",
    "DATASETS": "datasets",
    "load_dataset": "datasets",
    "NamedModel": "look_inside",
    "Shown": "look_inside",
    "parse_shape": "look_inside",
    "resolve_model": "look_inside",
    "show_network": "look_inside",
    "Prediction": "predict",
    "predict_images": "predict",
    "TrainResult": "train",
    "train_classifier": "train",
}

__all__ = sorted(NAMES)
__getattr__, __dir__ = lazy_names(__name__, NAMES)
