"""The Markdown report ``cnnlab demo`` writes beside its pictures."""

from __future__ import annotations

from pathlib import Path

from ..jobs import TrainResult
from ..serialization import write_atomically


def write_report(
    out_dir: Path,
    filter_rows: list[tuple[str, str, float]],
    training: TrainResult,
    seconds: float,
    extra_sections: list[str] = (),
) -> Path:
    """Write ``report.md``: what each picture shows, the learning history, the accuracy."""
    history = training.history
    lines = [
        "# cnnlab demo",
        "",
        f"Everything here was computed offline in {seconds:.0f} s on data cnnlab draws itself.",
        "",
        "## 1. Classic filters",
        "",
        "![classic filters](filters.png)",
        "",
        "| picture | what it shows | ms |",
        "| --- | --- | ---: |",
        *[f"| [{name}]({name}.png) | {text} | {ms:.1f} |" for name, text, ms in filter_rows],
        "",
        "The kernels, with their weights:",
        "",
        "![kernels](kernels.png)",
        "",
        "## 2. LeNet-5 learns the shapes",
        "",
        f"Classes: {', '.join(training.trained.classes)}. "
        f"**Test accuracy: {training.test_accuracy:.2%}.**",
        "",
        "| epoch | train loss | train accuracy | val loss | val accuracy | seconds |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for epoch in range(len(history.train_loss)):
        lines.append(
            f"| {epoch + 1} | {history.train_loss[epoch]:.4f} | "
            f"{history.train_accuracy[epoch]:.2%} | {history.val_loss[epoch]:.4f} | "
            f"{history.val_accuracy[epoch]:.2%} | {history.seconds[epoch]:.1f} |"
        )
    lines += [
        "",
        "![learning curves](curves.png)",
        "",
        "![test images with the network's guesses](predictions.png)",
        "",
        "The weights are in `model.safetensors` (PyTorch's key names) with `model.json`; try "
        "`cnnlab predict cnnlab-demo/model.safetensors IMAGE.png`.",
        "",
        *extra_sections,
    ]
    path = out_dir / "report.md"
    write_atomically(path, "\n".join(lines).encode())
    return path
