"""``cnnlab filter IMAGE --kernel NAME``: apply a named kernel or a kernel file to an image."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .. import filters
from .._validation import check_array, received
from ..imageio import read_image, write_image
from .errors import UsageError

HELP = "apply a named kernel (see `cnnlab kernels`) or a kernel file to an image"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("filter", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument("image", type=Path, help="image file (any format Pillow reads)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--kernel",
        "-k",
        default=None,
        help="kernel or filter name, e.g. sobel, gaussian, median, laplacian",
    )
    source.add_argument(
        "--kernel-file",
        type=Path,
        default=None,
        help="custom 2-D kernel: .npy, or text with whitespace-separated rows",
    )
    parser.add_argument("--size", type=int, default=None, help="window size (mean, median)")
    parser.add_argument("--sigma", type=float, default=None, help="standard deviation (gaussian)")
    parser.add_argument(
        "--mode", default="reflect", help="boundary mode: reflect, constant, nearest, mirror, wrap"
    )
    parser.add_argument(
        "--gradient",
        action="store_true",
        help="write gradient magnitude and angle (operator from --kernel, default sobel)",
    )
    parser.add_argument("--gray", action="store_true", help="convert a colour image to gray")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="output file (.png, .jpg, ... or .npy for raw values)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.size is not None and (args.size < 1 or args.size % 2 == 0):
        raise UsageError(f"`--size` must be a positive odd int. {received(size=args.size)}")
    image = read_image(args.image, color="gray" if args.gray else "keep")
    stem = args.image.stem
    if args.gradient:
        operator = args.kernel or "sobel"
        result = filters.gradient(image, operator=operator, mode=args.mode)
        output = args.output or Path(f"{stem}-{operator}.png")
        angle = (result.angle + np.pi) / (2 * np.pi)
        pictures = (("magnitude", result.magnitude, True), ("angle", angle, False))
        for name, values, signed in pictures:
            _save(output.with_name(f"{output.stem}-{name}{output.suffix}"), values, signed)
        return 0
    if args.kernel_file is not None:
        kernel = read_kernel_file(args.kernel_file)
        result = filters.convolve(image, kernel, mode=args.mode)
        label, signed = args.kernel_file.stem, True
    else:
        name = args.kernel or "gaussian"
        params = {k: v for k, v in (("size", args.size), ("sigma", args.sigma)) if v is not None}
        result = filters.apply(image, name, mode=args.mode, **params)
        label, signed = name, filters.is_signed(name)
    _save(args.output or Path(f"{stem}-{label}.png"), result, signed)
    return 0


def read_kernel_file(path: Path) -> np.ndarray:
    """A 2-D finite kernel from ``.npy`` or a text file of whitespace-separated rows."""
    if not path.exists():
        raise FileNotFoundError(f"No such kernel file: {path}")
    try:
        kernel = np.load(path) if path.suffix == ".npy" else np.loadtxt(path, ndmin=2)
    except ValueError as error:
        raise ValueError(f"Cannot read a kernel from {path}: {error}") from error
    kernel = check_array("kernel", kernel, allow_complex=False)
    if kernel.ndim != 2:
        raise ValueError(f"The kernel file must hold a 2-D array. {received(kernel=kernel)}")
    if not np.all(np.isfinite(kernel)):
        raise ValueError(f"The kernel file holds NaN or Inf values: {path}")
    return kernel


def _save(path: Path, values: np.ndarray, signed: bool) -> None:
    if path.suffix == ".npy":
        np.save(path, values)
    else:
        write_image(path, values, clip=not signed)
    print(f"wrote {path}")
