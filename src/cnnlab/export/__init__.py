"""Moving a model to other engines: the graph of a forward pass, PyTorch code, ONNX.

trace_graph   a model's forward pass as a graph of layer and op calls (``graph``)
to_torch      a standalone PyTorch file (``model.py``) and its ``model.safetensors``
onnx          ``to_onnx`` and ``load_onnx``: ONNX files out and in (needs ``onnx``)
"""

from .graph import Block, Graph, Node, trace_graph
from .torch_code import to_torch

__all__ = ["Block", "Graph", "Node", "to_torch", "trace_graph"]
