"""Attribution: which parts of an input a class score depends on.

``saliency`` is the size of the input gradient of the class logit (Simonyan et al.,
2014); ``grad_cam`` weighs a layer's activation maps by the average gradient reaching
each (Selvaraju et al., 2017). Both run the model in evaluation mode and leave its
modes and parameter gradients as they were. Inputs are batches: ``(N, C, H, W)`` or
``(N, C, L)``, any number of channels; for one example pass ``x[None]``.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_float_array, received
from ..nn import Module
from .tracing import Tracer, evaluating, find_layer


def saliency(model: Module, x: np.ndarray, target=None) -> np.ndarray:
    """Saliency map: ``|d logit_target / d x|``, the largest over channels.

    Parameters
    ----------
    model : Module
        Returns logits ``(N, classes)``.
    x : ndarray, shape (N, C, H, W) or (N, C, L)
    target : int or sequence of N ints, optional
        The class of each example; by default the predicted one.

    Returns
    -------
    ndarray, shape (N, H, W) or (N, L)

    Examples
    --------
    >>> from cnnlab.models import lenet5
    >>> x = np.random.default_rng(0).random((2, 1, 28, 28), dtype=np.float32)
    >>> saliency(lenet5(rng=0), x, target=3).shape
    (2, 28, 28)
    """
    x = _check_batch(x)
    with evaluating(model, keep_grads=True):
        logits = model(x)
        grad = model.backward(_class_seed(logits, target))
    return np.abs(grad).max(axis=1)


def grad_cam(model: Module, x: np.ndarray, layer: str | Module, target=None) -> np.ndarray:
    """Grad-CAM: a layer's maps weighted by their mean gradient, then resized to the input.

    With ``A_k`` the layer's k-th output map and ``g_k`` the gradient of the target logit
    there, ``cam = relu(sum_k mean(g_k) A_k)``, linearly interpolated (half-pixel
    centres, as ``torch.nn.functional.interpolate``) to the input's spatial size. The
    values are not normalised: divide by ``cam.max()`` to draw it.

    Parameters
    ----------
    model : Module
        Returns logits ``(N, classes)``.
    x : ndarray, shape (N, C, H, W) or (N, C, L)
    layer : str or Module
        A layer with spatial output, usually the last convolution (or its activation).
    target : int or sequence of N ints, optional
        The class of each example; by default the predicted one.

    Returns
    -------
    ndarray, shape (N, H, W) or (N, L)

    Examples
    --------
    >>> from cnnlab.models import lenet5
    >>> x = np.random.default_rng(0).random((1, 1, 28, 28), dtype=np.float32)
    >>> grad_cam(lenet5(rng=0), x, layer="4").shape
    (1, 28, 28)
    """
    x = _check_batch(x)
    name, module = find_layer(model, layer)
    arriving: list[np.ndarray] = []

    def keep_gradient(_, seen, grad_out):
        if seen is module:
            arriving.append(grad_out)

    with evaluating(model, keep_grads=True), Tracer(model, on_backward=keep_gradient) as tracer:
        logits = model(x)
        model.backward(_class_seed(logits, target))
    maps = tracer.output_of(module, name)
    if maps.ndim < 3:
        raise ValueError(
            f"Grad-CAM needs a layer whose output has spatial axes (N, C, H, W) or (N, C, L); "
            f"layer '{name}' {module.short_repr()} gives shape {maps.shape}."
        )
    spatial = tuple(range(2, maps.ndim))
    weights = arriving[0].mean(axis=spatial, keepdims=True)  # (N, K, 1, 1)
    cam = np.maximum((weights * maps).sum(axis=1), 0)
    return resize_linear(cam, x.shape[2:])


def resize_linear(a: np.ndarray, size: tuple[int, ...]) -> np.ndarray:
    """Resize the trailing axes of ``a`` to ``size`` by (bi)linear interpolation.

    Sample centres sit at half-pixel positions, as in ``torch.nn.functional.interpolate``
    with ``align_corners=False``.

    >>> resize_linear(np.array([[0.0, 1.0]]), (4,))
    array([[0.  , 0.25, 0.75, 1.  ]])
    """
    leading = a.ndim - len(size)
    for axis, n_out in enumerate(size, start=leading):
        matrix = _interpolation_matrix(a.shape[axis], n_out)
        a = np.moveaxis(np.tensordot(a, matrix, axes=([axis], [1])), -1, axis)
    return a


def _interpolation_matrix(n_in: int, n_out: int) -> np.ndarray:
    """``(n_out, n_in)`` weights of linear interpolation with half-pixel centres."""
    source = np.maximum((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0.0)
    lower = np.minimum(np.floor(source).astype(int), n_in - 1)
    upper = np.minimum(lower + 1, n_in - 1)
    fraction = source - lower
    matrix = np.zeros((n_out, n_in))
    np.add.at(matrix, (np.arange(n_out), lower), 1.0 - fraction)
    np.add.at(matrix, (np.arange(n_out), upper), fraction)
    return matrix


def _check_batch(x) -> np.ndarray:
    x = check_float_array("x", x)
    if x.ndim not in (3, 4):
        raise ValueError(
            "`x` must be a batch (N, C, H, W) or (N, C, L); for one example use x[None]. "
            f"{received(x=x)}"
        )
    return x


def _class_seed(logits: np.ndarray, target) -> np.ndarray:
    """A gradient of ones at each example's target logit and zeros elsewhere."""
    if logits.ndim != 2:
        raise ValueError(
            f"The model must return logits of shape (N, classes). {received(output=logits)}"
        )
    count, classes = logits.shape
    if target is None:
        targets = logits.argmax(axis=1)
    else:
        targets = np.asarray(target)
        targets = np.full(count, targets) if targets.ndim == 0 else targets
        if (
            targets.shape != (count,)
            or not np.issubdtype(targets.dtype, np.integer)
            or np.any((targets < 0) | (targets >= classes))
        ):
            raise ValueError(
                f"`target` must be a class index in [0, {classes - 1}], or one per example "
                f"({count} here). {received(target=target)}"
            )
    seed = np.zeros_like(logits)
    seed[np.arange(count), targets] = 1.0
    return seed
