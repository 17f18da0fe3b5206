"""``cnnlab weights list`` / ``download NAME``: the published ImageNet weights cnnlab knows."""

from __future__ import annotations

import argparse

from ..weights import KNOWN_WEIGHTS, fetch_weights, weights_path

HELP = "list or download the known ImageNet weights (torchvision's files)"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("weights", help=HELP, description=HELP[0].upper() + HELP[1:])
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="known weights, where they are cached, sizes")
    download = actions.add_parser("download", help="download weights into the cache")
    download.add_argument(
        "name", choices=sorted(KNOWN_WEIGHTS), metavar="NAME", help="weights name"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "download":
        print(fetch_weights(args.name))
        return 0
    print(f"{'name':<22}{'architecture':<18}{'acc@1':>7}{'MiB':>9}  {'resize':>6}  cached")
    for entry in KNOWN_WEIGHTS.values():
        path = weights_path(entry.name)
        cached = str(path) if path.exists() else "no"
        print(
            f"{entry.name:<22}{entry.architecture:<18}{entry.acc1:>7.3f}{entry.size_mb:>9.1f}"
            f"  {entry.resize:>6}  {cached}"
        )
    return 0
