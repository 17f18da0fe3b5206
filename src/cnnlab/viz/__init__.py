"""Pictures (matplotlib is imported only in this package).

image_grid    several images side by side with titles and colour bars
kernel_grid   kernels drawn as small heat maps with their values written in
"""

from .grids import image_grid, kernel_grid

__all__ = ["image_grid", "kernel_grid"]
