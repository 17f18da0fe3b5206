"""Moving a model to other engines: the graph of a forward pass, PyTorch code, ONNX.

trace_graph   a model's forward pass as a graph of layer and op calls (``graph``)
to_torch      a standalone PyTorch file (``model.py``) and its ``model.safetensors``
to_onnx       an ONNX file of a cnnlab network (opset 17, open batch axis; needs ``onnx``)
load_onnx     a cnnlab network built from an ONNX file of a CNN (needs ``onnx``)
"""

from .._lazy import lazy_names
from .graph import Block, Graph, Node, trace_graph
from .torch_code import to_torch

# name -> the module that defines it, imported on first use
NAMES = {"load_onnx": "onnx_import", "to_onnx": "onnx"}

__all__ = ["Block", "Graph", "Node", "to_torch", "trace_graph", *sorted(NAMES)]
__getattr__, __dir__ = lazy_names(__name__, NAMES)
