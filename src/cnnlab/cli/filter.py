"""``cnnlab filter IMAGE --kernel NAME``: apply a named kernel or a kernel file to an image."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .. import filters
from .._validation import check_choice, received
from ..imageio import check_image_path, read_image, write_image
from .budget import check_budget
from .errors import UsageError, check_positive_number
from .kernel_file import read_kernel_file

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


def check(args: argparse.Namespace) -> None:
    """The options' checks that need no image, before anything is read."""
    if args.kernel is not None:
        names = filters.GRADIENT_OPERATORS if args.gradient else filters.FILTERS
        check_choice("--kernel", args.kernel, names)
    check_choice("--mode", args.mode, filters.MODES)
    if args.size is not None and (args.size < 1 or args.size % 2 == 0):
        size = received(**{"--size": args.size})
        raise UsageError(f"`--size` must be a positive odd int. {size}")
    if args.sigma is not None:
        check_positive_number("--sigma", args.sigma)
    if args.gradient and args.kernel_file is not None:
        raise UsageError(
            "`--gradient` takes its operator from --kernel (sobel, prewitt or scharr), not from "
            f"a kernel file. {received(**{'--kernel-file': str(args.kernel_file)})}"
        )
    if args.gradient or args.kernel_file is not None:
        for option, value in (("--size", args.size), ("--sigma", args.sigma)):
            if value is not None:
                used = "--gradient" if args.gradient else "--kernel-file"
                raise UsageError(
                    f"`{option}` sets a named kernel; it does not apply to {used}. "
                    f"{received(**{option: value})}"
                )
    if args.output is not None and args.output.is_dir():
        raise UsageError(f"`-o` must name a file, but {args.output} is a folder.")
    if args.output is not None and args.output.suffix.lower() != ".npy":
        check_image_path(args.output, name="-o")


def check_cost(
    args: argparse.Namespace, image_shape: tuple[int, ...], kernel_shape: tuple[int, int] | None
) -> None:
    """Refuse a filter that would need too much memory or time for an image of this shape."""
    options: dict = {}
    if args.gradient:
        name, params = args.kernel or "sobel", {}
    elif kernel_shape is not None:
        name, params = "kernel file", {"kernel_shape": kernel_shape}
        options["kernel"] = "x".join(map(str, kernel_shape))
    else:
        name = args.kernel or "gaussian"
        params = {k: v for k, v in (("size", args.size), ("sigma", args.sigma)) if v is not None}
        options = {f"--{k}": v for k, v in params.items()}
    cost = filters.filter_cost(name, image_shape, **params)
    doing = f"Filtering the {image_shape[0]}x{image_shape[1]} image with {name}"
    check_budget(doing, cost.nbytes, cost.seconds, **options)


def run(args: argparse.Namespace) -> int:
    check(args)
    image = read_image(args.image, color="gray" if args.gray else "keep")
    kernel = read_kernel_file(args.kernel_file) if args.kernel_file is not None else None
    check_cost(args, image.shape, None if kernel is None else kernel.shape)
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
    if kernel is not None:
        result = filters.convolve(image, kernel, mode=args.mode)
        label, signed = args.kernel_file.stem, True
    else:
        name = args.kernel or "gaussian"
        params = {k: v for k, v in (("size", args.size), ("sigma", args.sigma)) if v is not None}
        result = filters.apply(image, name, mode=args.mode, **params)
        label, signed = name, filters.is_signed(name)
    _save(args.output or Path(f"{stem}-{label}.png"), result, signed)
    return 0


def _save(path: Path, values: np.ndarray, signed: bool) -> None:
    if path.suffix.lower() == ".npy":
        np.save(path, values)
    else:
        write_image(path, values, clip=not signed)
    print(f"wrote {path}")
