"""The output-size formula of convolution and pooling, in one place."""

from __future__ import annotations

from .._validation import received


def conv_output_size(
    size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    """Length of one spatial axis after a convolution or pooling window slides over it.

    ``floor((size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1``, the
    formula in PyTorch's ``Conv2d`` documentation. ``padding`` here is per side.

    Raises ``ValueError`` when the padded input is smaller than the dilated kernel.

    >>> conv_output_size(28, 5, padding=2)
    28
    >>> conv_output_size(28, 2, stride=2)
    14
    """
    span = dilation * (kernel_size - 1) + 1
    padded = size + 2 * padding
    if padded < span:
        raise ValueError(
            f"The input is smaller than the kernel: a size of {size} padded by {padding} on "
            f"each side gives {padded}, but the kernel spans {span} (kernel_size={kernel_size}, "
            f"dilation={dilation}). {received(size=size, kernel_size=kernel_size)}"
        )
    return (padded - span) // stride + 1


def same_padding(kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """Padding ``(before, after)`` that keeps the size at stride 1, as PyTorch's ``"same"``.

    An odd total puts the extra element after, as PyTorch does.

    >>> same_padding(3)
    (1, 1)
    >>> same_padding(4)
    (1, 2)
    """
    total = dilation * (kernel_size - 1)
    return total // 2, total - total // 2
