"""Pictures (matplotlib is imported only in this package).

image_grid    several images side by side with titles and colour bars
kernel_grid   kernels drawn as small heat maps with their values written in

activation_maps            every layer's output for one input, in one tall figure
activation_maps_per_layer  the same, one figure per layer in a folder
conv_kernels               a convolution's learned kernels (in colour for RGB input)
receptive_field_box        the input pixels one unit sees, drawn on the image
learning_curves            loss and accuracy per epoch, training and validation
draw, schematic_figure     the classic diagram of a network (SVG or PNG)
schematic_boxes            the same figure, and where each layer's box lies in its PNG
check_figure_path          whether a picture can be saved at a path (a file, a known suffix)
"""

from ._figure import check_figure_path
from .activations import activation_maps, activation_maps_per_layer
from .curves import learning_curves
from .grids import image_grid, kernel_grid
from .kernels import conv_kernels
from .receptive_field import receptive_field_box
from .schematic import draw, schematic_boxes, schematic_figure

__all__ = [
    "activation_maps",
    "activation_maps_per_layer",
    "check_figure_path",
    "conv_kernels",
    "draw",
    "image_grid",
    "kernel_grid",
    "learning_curves",
    "receptive_field_box",
    "schematic_boxes",
    "schematic_figure",
]
