"""``cnnlab train``: from a dataset name to saved weights, curves and history."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console

from .._validation import check_positive_float, check_positive_int, received
from ..data import Dataset, Normalize
from ..models import build_model
from ..nn import CrossEntropyLoss
from ..optim import Adam
from ..train import History, evaluate, fit
from ..train.folder import check_writable, remove_stale_temporaries
from ..viz import learning_curves
from .bundle import TrainedModel, description_path, save_trained
from .datasets import load_dataset

CHECKPOINT = "checkpoint.safetensors"
WEIGHTS = "model.safetensors"


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
    overwrite: bool = False,
    size: int | None = None,
    quiet: bool = False,
    console: Console | None = None,
) -> TrainResult:
    """Train a classifier with Adam and cross-entropy, then write everything into ``out``.

    A tenth of the training set is held out for validation. Inputs are normalised with
    the training set's per-channel mean and standard deviation. Written into ``out``:
    ``model.safetensors`` and ``model.json`` (architecture, classes, normalisation),
    ``history.csv``, ``curves.png``, and ``checkpoint.safetensors`` after every epoch, from
    which ``resume=True`` continues an interrupted run exactly. A folder that already holds
    a trained model is refused, unless ``resume=True`` (continue it) or ``overwrite=True``
    (replace it); so is an unwritable one, before any work.

    Parameters
    ----------
    dataset : str, Path or (train, test)
        A name (``shapes``, ``mnist``, ``fashion-mnist``, ``cifar10``), an image folder,
        or two `Dataset` objects.
    model : str
        ``lenet5`` or ``small_vgg``; sized to the data's channels, classes and image size.
    resume, overwrite : bool
        What to do when ``out`` already holds a trained model: go on from its checkpoint,
        or train a new one in its place. At most one of them.
    size : int, optional
        The image size for ``shapes`` and image folders (default 28).

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
    batch_size = check_positive_int("batch_size", batch_size)
    lr = check_positive_float("lr", lr)
    console = console or Console()
    out = Path(out)
    resume = _prepare_folder(out, resume, overwrite)  # before any data is read or drawn
    if isinstance(dataset, tuple):
        train, test = dataset
    else:
        train, test = load_dataset(dataset, size=size, seed=seed)
    _check_classes(train, dataset)
    channels, height, width = train.sample_shape
    if height != width:
        raise ValueError(
            f"The models here take square images. Received: images of {height}x{width}."
        )
    arguments = {"num_classes": train.num_classes, "in_channels": channels, "input_size": height}
    try:
        network = build_model(model, rng=seed, **arguments)
    except MemoryError as error:  # numpy refuses the allocation at once, saying how much
        raise ValueError(
            f"The {model} for {height}x{width} images does not fit in memory ({error}). "
            f"{received(size=height)}"
        ) from None
    normalize = Normalize.from_images(train.images)
    fit_part, val_part = train.split(0.9, rng=seed)
    files = {"checkpoint": out / CHECKPOINT}
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
        resume=resume,
        quiet=quiet,
        console=console,
    )
    test_accuracy = evaluate(network, _normalized(test, normalize)).accuracy
    trained = TrainedModel(
        network, model, arguments, train.classes, train.sample_shape, normalize,
        extra={"test_accuracy": test_accuracy, "epochs": len(history.train_loss)},
    )  # fmt: skip
    files["weights"], files["description"] = save_trained(trained, out / WEIGHTS)
    files["history"] = out / "history.csv"
    history.to_csv(files["history"])
    files["curves"] = learning_curves(history, out / "curves.png", title=f"{model}")
    if not quiet:
        console.print(f"Test accuracy: {test_accuracy:.2%} on {len(test)} images")
        console.print(f"Wrote {', '.join(str(p) for p in files.values())}")
    return TrainResult(trained, history, test_accuracy, files)


def _prepare_folder(out: Path, resume: bool, overwrite: bool) -> bool:
    """Make ``out`` ready, or refuse it; returns whether to resume from its checkpoint."""
    if resume and overwrite:
        raise ValueError(
            "`resume` and `overwrite` exclude each other: continue the model in the folder, "
            f"or replace it. {received(resume=resume, overwrite=overwrite)}"
        )
    trained = [name for name in (CHECKPOINT, WEIGHTS) if (out / name).exists()]
    if trained and not (resume or overwrite):
        raise FileExistsError(
            f"{out} already holds a trained model ({', '.join(trained)}): pass --resume to "
            "continue its training, or --overwrite to replace it (resume=True or "
            "overwrite=True from Python)."
        )
    if resume and trained == [WEIGHTS]:
        raise FileNotFoundError(
            f"{out} holds a trained model but no {CHECKPOINT} to resume from: pass "
            "--overwrite (overwrite=True) to train a new one in its place."
        )
    out.mkdir(parents=True, exist_ok=True)
    check_writable(out)
    for name in (CHECKPOINT, WEIGHTS, description_path(WEIGHTS).name):
        remove_stale_temporaries(out / name)  # left by a run killed while it saved
    return resume and CHECKPOINT in trained


def _check_classes(train: Dataset, dataset) -> None:
    present = np.unique(train.labels)
    if present.size == 1:
        folder = not isinstance(dataset, tuple)
        where = f"the training images of {dataset}" if folder else "the training images"
        hint = ": add a sub-folder of images for each other class" if folder else ""
        raise ValueError(
            f"A classifier needs images of at least 2 classes to tell apart, but {where} are "
            f"all of one class{hint}. {received(classes=[train.classes[i] for i in present])}"
        )


def _normalized(data: Dataset, normalize: Normalize) -> Dataset:
    if not len(data):
        raise ValueError(f"A dataset split is empty. {received(images=data.images)}")
    return Dataset(normalize(data.images), data.labels, data.classes)
