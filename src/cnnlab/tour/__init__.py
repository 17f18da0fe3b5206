"""The offline tour behind ``cnnlab demo``: everything on data cnnlab draws itself.

filter_tour     the classic kernels on the built-in picture
training_tour   LeNet-5 learns the built-in shapes dataset
run_demo        both, and a Markdown report beside the pictures
"""

from .demo import run_demo
from .filters import filter_tour
from .training import training_tour

__all__ = ["filter_tour", "run_demo", "training_tour"]
