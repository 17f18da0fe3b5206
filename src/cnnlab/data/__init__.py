"""Data: images and datasets cnnlab draws itself, so everything runs offline.

demo_image  a 256x256 grayscale picture with edges in every direction, for filter demos
"""

from .demo_image import demo_image

__all__ = ["demo_image"]
