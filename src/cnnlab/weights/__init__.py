"""Weights files: reading torch checkpoints safely, and the published ImageNet weights.

load_pth        a torch ``.pth`` state dict as NumPy arrays, without torch or pickle code
                (``unpickle``: the pickle interpreter that knows only torch's instructions)
read_safetensors a ``.safetensors`` file, header checked first; bf16 / float8 as float32
load_state      a state dict from ``.pth`` / ``.pt`` / ``.bin`` or ``.safetensors``, by suffix
load_state_into fill a model from a weights file (a missing num_batches_tracked is fine)
KNOWN_WEIGHTS   torchvision's ResNet / ResNeXt ImageNet files: URL, hash prefix, preprocessing
fetch_weights   a known file from the cache, downloaded and checked when missing
WeightsFileError a damaged or crafted file, in one line (a ValueError); UnsafeCheckpointError
                one whose pickle would call what a state dict does not need

A weights file can make the loaders allocate no more than a few times what it holds.
"""

from .errors import UnsafeCheckpointError, WeightsFileError
from .pth import load_pth
from .safetensors_file import read_safetensors
from .state import load_state, load_state_into
from .zoo import KNOWN_WEIGHTS, KnownWeights, fetch_weights, known_weights, weights_path

__all__ = [
    "KNOWN_WEIGHTS",
    "KnownWeights",
    "UnsafeCheckpointError",
    "WeightsFileError",
    "fetch_weights",
    "known_weights",
    "load_pth",
    "load_state",
    "load_state_into",
    "read_safetensors",
    "weights_path",
]
