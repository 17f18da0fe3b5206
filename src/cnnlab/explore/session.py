"""One explorer's state: the model, the current input, and what was computed for it.

Every new input runs the model once, traced (:class:`cnnlab.inspect.Tracer`), and keeps
each layer's input and output, so the maps, pooling windows and the prediction of that
input are read from memory afterwards. Answers that cost a backward pass (a unit's
gradient, Grad-CAM) are cached for the input too; the ones that do not depend on it (the
schematic, measured receptive fields) for the session. A lock makes the computations
take turns: a layer keeps state between its forward and backward.
"""

from __future__ import annotations

import threading
from functools import cached_property

import numpy as np

from .._validation import received
from ..grad_mode import no_grad
from ..inspect import summary
from ..inspect.tracing import Tracer, evaluating, find_layer
from .loading import Loaded
from .pictures import prepare_drawing, prepare_upload
from .playground import Playground

OUTPUTS_SHOWN = 10  # numbers of a model that is no classifier (a regressor)


class Session:
    """The model being explored and its current input (see the module notes)."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.model = loaded.model
        self.input_shape = loaded.input_shape
        self.lock = threading.RLock()
        self.drawing = threading.Lock()  # the schematic's, drawn without holding `lock`
        self.version = 0
        self.cache: dict[tuple, object] = {}  # per input; cleared by each new input
        self.lasting: dict[tuple, object] = {}  # per session
        self.table = loaded.table or summary(self.model, self.input_shape)
        # leaf layers by name, in forward order (a layer called twice: its last call)
        self.rows = {row.name: row for row in self.table.rows if row.is_leaf}
        self.named_rows = {row.name: row for row in self.table.rows}
        self.modules = dict(self.model.named_modules())
        self.playground = Playground()
        first = next(iter(loaded.examples.values()), None)
        self.set_image(first.image if first else np.zeros(self.input_shape, np.float32))

    # -- the input -------------------------------------------------------------------
    def set_example(self, key: str) -> None:
        example = self.loaded.examples.get(key)
        if example is None:
            known = ", ".join(repr(k) for k in self.loaded.examples)
            raise ValueError(f"`example` must be one of {known}. {received(example=key)}")
        self.set_image(example.image)

    def set_drawing(self, drawing) -> None:
        self.set_image(prepare_drawing(drawing, self.input_shape, self.loaded.ink_is_bright))

    def set_upload(self, data: bytes) -> None:
        self.set_image(prepare_upload(data, self.input_shape, self.loaded.imagenet))

    def set_image(self, image: np.ndarray) -> None:
        """Make ``image`` ``(C, H, W)`` in [0, 1] the current input and run the model on it."""
        image = np.asarray(image, np.float32).reshape(self.input_shape)
        x = image[None]
        if self.loaded.normalize is not None:
            x = self.loaded.normalize(x)
        with self.lock:
            with no_grad(), evaluating(self.model), Tracer(self.model) as tracer:
                output = self.model(x)
            self.image, self.x, self.output = image, x, output
            self.outputs = {call.name: call.output for call in tracer.finished if call.name}
            self.inputs = {call.name: call.input for call in tracer.finished if call.name}
            self.cache.clear()
            self.version += 1

    # -- what the page asks ----------------------------------------------------------
    def prediction(self) -> dict:
        """Every class, most probable first, with the input's version."""
        answer = {"input_shape": list(self.input_shape), "version": self.version}
        logits = np.asarray(self.output, np.float64)
        if logits.ndim != 2 or logits.shape[1] < 2:  # a regressor: its numbers
            answer["prediction"] = []
            answer["output"] = logits.ravel()[:OUTPUTS_SHOWN].tolist()
            return answer
        shifted = np.exp(logits[0] - logits[0].max())
        probabilities = shifted / shifted.sum()
        order = np.argsort(-probabilities, kind="stable")
        answer["prediction"] = [
            {"class": self.class_name(int(i)), "index": int(i),
             "probability": float(probabilities[i])}
            for i in order
        ]  # fmt: skip
        return answer

    def class_name(self, index: int) -> str:
        classes = self.loaded.classes
        return classes[index] if index < len(classes) else str(index)

    def row(self, layer: str):
        """The summary row of ``layer``: a leaf layer, or a container (a residual block)."""
        row = self.named_rows.get(layer)
        if row is None:
            find_layer(self.model, str(layer))  # an unknown name: its did-you-mean message
            raise ValueError(
                f"Layer '{layer}' is not used by the model's forward pass. {received(layer=layer)}"
            )
        return row

    def output_of(self, layer: str) -> np.ndarray:
        self.row(layer)
        return self.outputs[layer]

    def cached(self, key: tuple, compute, lasting: bool = False):
        """``compute()``, once per input (or per session when ``lasting``)."""
        store = self.lasting if lasting else self.cache
        with self.lock:
            if key not in store:
                store[key] = compute()
            return store[key]

    @cached_property
    def drawable(self) -> bool:
        return len(self.input_shape) == 3 and max(self.input_shape[1:]) <= 64
