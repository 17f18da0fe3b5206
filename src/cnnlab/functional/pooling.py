"""Max pooling over 1-D and 2-D windows, forward beside backward, and the window geometry.

Layout is PyTorch's: ``(N, C, L)`` for 1-D and ``(N, C, H, W)`` for 2-D. The loops run over
the offsets inside the window (four for a 2x2 window), never over pixels: the element at
offset ``(i, j)`` of every window is one strided slice of the padded input.

Only ``ceil_mode=False`` (PyTorch's default) exists here: the output size is the floor
formula of :func:`conv_output_size`, so every window lies inside the padded input.
Average pooling, on the same :class:`PoolWindow`, is in
:mod:`~cnnlab.functional.avg_pooling`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .._validation import check_float_array, check_int_tuple, check_same_shape, received
from ._shapes import conv_output_size

IntOrTuple = int | tuple[int, ...]
LAYOUTS = {1: "(N, C, L)", 2: "(N, C, H, W)"}


@dataclass(frozen=True)
class PoolWindow:
    """Geometry of a pooling window, one entry per spatial axis (PyTorch's arguments)."""

    kernel_size: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    dilation: tuple[int, ...]

    @classmethod
    def create(
        cls,
        spatial_dims: int,
        kernel_size: IntOrTuple,
        stride: IntOrTuple | None = None,
        padding: IntOrTuple = 0,
        dilation: IntOrTuple = 1,
    ) -> PoolWindow:
        """Check and normalise the arguments; ``stride=None`` means ``stride=kernel_size``.

        PyTorch's rule holds: ``padding`` is at most half of ``kernel_size``.
        """
        kernel_size = check_int_tuple("kernel_size", kernel_size, spatial_dims)
        stride = kernel_size if stride is None else check_int_tuple("stride", stride, spatial_dims)
        padding = check_int_tuple("padding", padding, spatial_dims, minimum=0)
        dilation = check_int_tuple("dilation", dilation, spatial_dims)
        if any(p > k // 2 for p, k in zip(padding, kernel_size, strict=True)):
            raise ValueError(
                "`padding` must be at most half of `kernel_size` (as in PyTorch). "
                + received(padding=padding, kernel_size=kernel_size)
            )
        return cls(kernel_size, stride, padding, dilation)

    @property
    def overlapping(self) -> bool:
        """Whether one input element can fall in more than one window."""
        return any(
            d * (k - 1) + 1 > s
            for k, s, d in zip(self.kernel_size, self.stride, self.dilation, strict=True)
        )

    def output_shape(self, spatial_shape: tuple[int, ...]) -> tuple[int, ...]:
        geometry = (self.kernel_size, self.stride, self.padding, self.dilation)
        return tuple(conv_output_size(*a) for a in zip(spatial_shape, *geometry, strict=True))

    def offsets(self, output_shape: tuple[int, ...]) -> list[tuple[slice, ...]]:
        """For each offset in the window, row-major, the slice of the padded input it reads."""
        axes = [
            [slice(o * d, o * d + s * (n - 1) + 1, s) for o in range(k)]
            for k, s, d, n in zip(
                self.kernel_size, self.stride, self.dilation, output_shape, strict=True
            )
        ]
        return [(Ellipsis, *combo) for combo in itertools.product(*axes)]

    def tiles(self, input_shape: tuple[int, ...]) -> bool:
        """Whether the windows cover every element of the padded input exactly once.

        True for a kernel equal to its stride, without dilation, over a padded size that
        the stride divides: then every element lies in exactly one window.
        """
        padded = self.padded_shape(input_shape)[2:]
        geometry = zip(self.kernel_size, self.stride, self.dilation, padded, strict=True)
        return all(k == s and d == 1 and n % s == 0 for k, s, d, n in geometry)

    def padded_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        pairs = zip(input_shape[2:], self.padding, strict=True)
        return input_shape[:2] + tuple(n + 2 * p for n, p in pairs)

    def interior(self, input_shape: tuple[int, ...]) -> tuple[slice, ...]:
        """The slice of the padded input that holds the input itself."""
        pairs = zip(self.padding, input_shape[2:], strict=True)
        return (Ellipsis, *(slice(p, p + n) for p, n in pairs))

    def pad(self, x: np.ndarray, value: float) -> np.ndarray:
        if not any(self.padding):
            return x
        padded = np.full(self.padded_shape(x.shape), value, dtype=x.dtype)
        padded[self.interior(x.shape)] = x
        return padded

    def check_input(self, x) -> np.ndarray:
        return check_float_array("input", x, layout=LAYOUTS[len(self.kernel_size)])


@dataclass
class MaxPoolContext:
    """What max-pool backward needs: the padded input and the output (references)."""

    window: PoolWindow
    input_shape: tuple[int, ...]
    padded_input: np.ndarray
    output: np.ndarray


def max_pool(x: np.ndarray, window: PoolWindow) -> tuple[np.ndarray, MaxPoolContext]:
    """Max pooling over ``window`` (padding counts as ``-inf``); see :func:`max_pool2d`.

    ``y = max over the window's offsets o of x_padded[o]``: each offset is one strided
    slice of the padded input, of the output's shape.
    """
    x = window.check_input(x)
    padded = window.pad(x, -np.inf)
    slices = window.offsets(window.output_shape(x.shape[2:]))
    y = padded[slices[0]].copy()
    for index in slices[1:]:
        np.maximum(y, padded[index], out=y)
    return y, MaxPoolContext(window, x.shape, padded, y)


def max_pool_backward(grad_out: np.ndarray, ctx: MaxPoolContext) -> np.ndarray:
    """Gradient of :func:`max_pool`: each window's gradient goes to its largest element.

    On a tie the first largest element, in row-major order, takes all of it (as PyTorch);
    a window whose maximum is found at no offset (a NaN) gives it to its last element.
    """
    check_same_shape("grad_out", grad_out, "output", ctx.output)
    grad = np.zeros(ctx.padded_input.shape, dtype=grad_out.dtype)
    slices = ctx.window.offsets(ctx.output.shape[2:])
    unclaimed = np.ones(ctx.output.shape, dtype=bool)  # windows whose maximum is not found yet
    for number, index in enumerate(slices):
        if number < len(slices) - 1:
            hit = (ctx.padded_input[index] == ctx.output) & unclaimed
            unclaimed &= ~hit
        else:
            hit = unclaimed
        grad[index] += grad_out * hit
    return grad[ctx.window.interior(ctx.input_shape)]


def max_pool1d(
    x: np.ndarray,
    kernel_size: IntOrTuple,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    dilation: IntOrTuple = 1,
) -> tuple[np.ndarray, MaxPoolContext]:
    """1-D max pooling of ``(N, C, L)``; returns the output and the backward context.

    >>> y, ctx = max_pool1d(np.array([[[1.0, 3.0, 2.0, 0.0]]]), 2)
    >>> y, max_pool_backward(np.ones_like(y), ctx)
    (array([[[3., 2.]]]), array([[[0., 1., 1., 0.]]]))
    """
    return max_pool(x, PoolWindow.create(1, kernel_size, stride, padding, dilation))


def max_pool2d(
    x: np.ndarray,
    kernel_size: IntOrTuple,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    dilation: IntOrTuple = 1,
) -> tuple[np.ndarray, MaxPoolContext]:
    """2-D max pooling of ``(N, C, H, W)``, as ``torch.nn.functional.max_pool2d``.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    kernel_size, stride, padding, dilation : int or (int, int)
        PyTorch's meanings; ``stride=None`` means ``kernel_size``; the padding is
        ``-inf`` and at most half the kernel. Only ``ceil_mode=False`` is implemented.

    Returns
    -------
    output : ndarray, shape (N, C, H_out, W_out)
    ctx : MaxPoolContext
        For :func:`max_pool_backward`.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> max_pool2d(x, 2)[0]
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    """
    return max_pool(x, PoolWindow.create(2, kernel_size, stride, padding, dilation))
