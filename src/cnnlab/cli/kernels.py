"""``cnnlab kernels``: list the kernel library, each kernel printed."""

from __future__ import annotations

import argparse

import numpy as np

from .. import filters

HELP = "list the kernel library with each kernel printed"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("kernels", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    for name, info in filters.KERNELS.items():
        print(f"{name} ({info.parameters}): {info.description}")
        values = filters.kernel(name)
        with np.printoptions(precision=4, suppress=True, linewidth=100):
            print("    " + str(values).replace("\n", "\n    "))
        print()
    print("Nonlinear: median (--size N): `cnnlab filter IMAGE --kernel median --size 3`.")
    return 0
