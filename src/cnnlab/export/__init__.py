"""Moving a model to other engines: ONNX files out and in (needs ``onnx``).

load_onnx   a cnnlab network built from an ONNX file of a CNN
to_onnx     an ONNX file of a cnnlab network (opset 17, a dynamic batch axis)
"""

from .._lazy import lazy_names

NAMES = {"load_onnx": "onnx_import", "to_onnx": "onnx"}

__all__ = sorted(NAMES)
__getattr__, __dir__ = lazy_names(__name__, NAMES)
