"""``cnnlab train``: from a dataset name to saved weights, curves and history."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from .._validation import check_positive_float, check_positive_int, received
from ..data import Dataset, Normalize
from ..models import build_model
from ..nn import CrossEntropyLoss
from ..optim import Adam
from ..train import History, evaluate, fit
from ..viz import learning_curves
from .bundle import TrainedModel, save_trained
from .datasets import load_dataset


@dataclass
class TrainResult:
    """What a training run produced: the model, its history and test accuracy, the files."""

    trained: TrainedModel
    history: History
    test_accuracy: float
    files: dict[str, Path]


def train_classifier(
    dataset: str | Path | tuple[Dataset, Dataset],
    model: str = "lenet5",
    epochs: int = 5,
    batch_size: int = 64,
    lr: float = 1e-3,
    seed: int = 0,
    out: str | Path = "cnnlab-run",
    resume: bool = False,
    size: int | None = None,
    quiet: bool = False,
    console: Console | None = None,
) -> TrainResult:
    """Train a classifier with Adam and cross-entropy, then write everything into ``out``.

    A tenth of the training set is held out for validation. Inputs are normalised with
    the training set's per-channel mean and standard deviation. Written into ``out``:
    ``model.safetensors`` and ``model.json`` (architecture, classes, normalisation),
    ``history.csv``, ``curves.png``, and ``checkpoint.safetensors`` after every epoch, from
    which ``resume=True`` continues an interrupted run exactly.

    Parameters
    ----------
    dataset : str, Path or (train, test)
        A name (``shapes``, ``mnist``, ``fashion-mnist``, ``cifar10``), an image folder,
        or two `Dataset` objects.
    model : str
        ``lenet5`` or ``small_vgg``; sized to the data's channels, classes and image size.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from cnnlab.data import shapes
    >>> data = shapes(300, size=16, rng=0)
    >>> result = train_classifier((data[np.arange(240)], data[np.arange(240, 300)]),
    ...                           epochs=1, out=tempfile.mkdtemp(), quiet=True)
    >>> sorted(result.files)
    ['checkpoint', 'curves', 'description', 'history', 'weights']
    """
    epochs = check_positive_int("epochs", epochs)
    lr = check_positive_float("lr", lr)
    console = console or Console()
    if isinstance(dataset, tuple):
        train, test = dataset
    else:
        train, test = load_dataset(dataset, size=size, seed=seed)
    channels, height, width = train.sample_shape
    if height != width:
        raise ValueError(
            f"The models here take square images. Received: images of {height}x{width}."
        )
    arguments = {"num_classes": train.num_classes, "in_channels": channels, "input_size": height}
    network = build_model(model, rng=seed, **arguments)
    normalize = Normalize.from_images(train.images)
    fit_part, val_part = train.split(0.9, rng=seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = {"checkpoint": out / "checkpoint.safetensors"}
    if not quiet:
        console.print(
            f"Training {model} on {len(fit_part)} images ({len(val_part)} for validation, "
            f"{len(test)} for testing), {train.num_classes} classes: {', '.join(train.classes)}"
        )
    history = fit(
        network,
        CrossEntropyLoss(),
        Adam(network.parameters(), lr=lr),
        _normalized(fit_part, normalize),
        val=_normalized(val_part, normalize),
        epochs=epochs,
        batch_size=batch_size,
        rng=seed,
        checkpoint=files["checkpoint"],
        resume=resume and files["checkpoint"].exists(),
        quiet=quiet,
        console=console,
    )
    test_accuracy = evaluate(network, _normalized(test, normalize)).accuracy
    trained = TrainedModel(
        network, model, arguments, train.classes, train.sample_shape, normalize,
        extra={"test_accuracy": test_accuracy, "epochs": len(history.train_loss)},
    )  # fmt: skip
    files["weights"], files["description"] = save_trained(trained, out / "model.safetensors")
    files["history"] = out / "history.csv"
    history.to_csv(files["history"])
    files["curves"] = learning_curves(history, out / "curves.png", title=f"{model}")
    if not quiet:
        console.print(f"Test accuracy: {test_accuracy:.2%} on {len(test)} images")
        console.print(f"Wrote {', '.join(str(p) for p in files.values())}")
    return TrainResult(trained, history, test_accuracy, files)


def _normalized(data: Dataset, normalize: Normalize) -> Dataset:
    if not len(data):
        raise ValueError(f"A dataset split is empty. {received(images=data.images)}")
    return Dataset(normalize(data.images), data.labels, data.classes)
