"""The third part of ``cnnlab demo``: inside the trained network."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.console import Console

from ..inspect import summary
from ..jobs import TrainResult
from ..jobs.look_inside import labelled_activations
from ..viz import activation_maps, conv_kernels, draw


def inside_tour(
    out_dir: str | Path, training: TrainResult, image: np.ndarray, console: Console | None = None
) -> tuple[dict[str, Path], list[str]]:
    """Summary table, schematic, activation maps of ``image`` and the first layer's kernels.

    ``image`` is one raw test image ``(C, H, W)``. Returns the files written and the
    Markdown section for the report.
    """
    console = console or Console()
    out = Path(out_dir)
    model = training.trained.model
    table = summary(model, training.trained.input_shape)
    console.print(str(table), markup=False, highlight=False, soft_wrap=True)
    x = training.trained.normalize(image[None].astype(np.float32))
    files = {
        "network_svg": draw(model, training.trained.input_shape, out / "network.svg"),
        "network": draw(model, training.trained.input_shape, out / "network.png"),
        "activations": activation_maps(
            labelled_activations(model, x),
            out / "activations.png",
            title="Activation maps of one test image",
        ),  # fmt: skip
        "first_kernels": conv_kernels(
            model.layers[0].weight.data,
            out / "first_kernels.png",
            title="The six learned 5x5 kernels of the first layer",
        ),  # fmt: skip
    }
    section = [
        "## 3. Inside the network",
        "",
        "![LeNet-5 drawn as a schematic](network.png)",
        "",
        table.to_markdown(),
        "",
        "The receptive field (RF) of a unit is the patch of input pixels it sees; after the "
        "second pooling each unit sees 16x16 pixels, and neighbouring units are 4 pixels apart.",
        "",
        "What every layer makes of one test image (the activation maps):",
        "",
        "![activation maps](activations.png)",
        "",
        "The kernels the first layer learned:",
        "",
        "![first-layer kernels](first_kernels.png)",
        "",
    ]
    return files, section
