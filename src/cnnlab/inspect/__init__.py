"""Seeing inside a network: summaries, receptive fields, activations, attributions.

summary                     table of layers: output shape, parameters, MACs, receptive field
Summary, LayerRow           its result (printing, Markdown, CSV, JSON) and one row of it
ReceptiveField              size, jump and start of a field per axis (Araujo et al., 2019)
receptive_field_empirical   the field measured by backpropagating from one unit
capture_activations         every layer's output for one input
saliency, grad_cam          which input pixels a class score depends on
Tracer                      the forward/backward wrapping all of the above is built on
"""

from .attribution import grad_cam, saliency
from .empirical import EmpiricalField, receptive_field_empirical
from .receptive_field import ReceptiveField
from .report import Summary
from .summary import LayerRow, summary
from .tracing import Tracer, capture_activations

__all__ = [
    "EmpiricalField",
    "LayerRow",
    "ReceptiveField",
    "Summary",
    "Tracer",
    "capture_activations",
    "grad_cam",
    "receptive_field_empirical",
    "saliency",
    "summary",
]
