"""RMSprop: divide each gradient by a running root mean square of its recent values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._validation import check_positive_float, received
from ..nn.parameter import Parameter
from .optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e), step for step as ``torch.optim.RMSprop``.

    Parameters
    ----------
    params : iterable of Parameter
    lr : float, default 1e-2
    alpha : float, default 0.99
        Decay of the running average of the squared gradient, in ``[0, 1]``.
    eps : float, default 1e-8
        Added to the root mean square.
    weight_decay : float, default 0
        L2 penalty added to the gradient.
    momentum : float, default 0
        Momentum of the scaled step.
    centered : bool, default False
        Divide by the running standard deviation instead (the mean of the gradient
        subtracted), as Graves (2013) does.

    Notes
    -----
    With ``g`` the gradient (plus ``weight_decay * p``)::

        v <- alpha v + (1 - alpha) g^2                   square_avg
        m <- alpha m + (1 - alpha) g                     grad_avg (centered only)
        d <- sqrt(v - m^2) + eps   (centered)   or   sqrt(v) + eps
        b <- momentum b + g / d;  p <- p - lr b          (momentum > 0)
        p <- p - lr g / d                                (otherwise)

    ``state`` holds ``"step"``, ``"square_avg"``, and ``"momentum_buffer"`` and
    ``"grad_avg"`` when used, under torch's names.

    Examples
    --------
    >>> p = Parameter(np.array([1.0]))
    >>> optimizer = RMSprop([p], lr=0.01)
    >>> p.grad[:] = 4.0
    >>> optimizer.step()  # v = 0.01 * 16, so the step is 0.01 * 4 / 0.4
    >>> p.data.round(6)
    array([0.9])
    """

    hyperparameter_names = ("lr", "alpha", "eps", "weight_decay", "momentum", "centered")

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
        )

    def _configure(self, lr, alpha, eps, weight_decay, momentum, centered) -> None:
        self.lr = lr
        self.alpha = check_positive_float("alpha", alpha, allow_zero=True)
        if self.alpha > 1:
            raise ValueError(f"`alpha` must be in [0, 1]. {received(alpha=alpha)}")
        self.eps = check_positive_float("eps", eps, allow_zero=True)
        self.weight_decay = check_positive_float("weight_decay", weight_decay, allow_zero=True)
        self.momentum = check_positive_float("momentum", momentum, allow_zero=True)
        self.centered = bool(centered)

    def _update(self, parameter: Parameter, state: dict[str, Any], lr: float) -> None:
        p, grad, alpha = parameter.data, parameter.grad, self.alpha
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(p)
            if self.momentum > 0:
                state["momentum_buffer"] = np.zeros_like(p)
            if self.centered:
                state["grad_avg"] = np.zeros_like(p)
        state["step"] += 1
        if self.weight_decay != 0:
            grad = grad + self.weight_decay * p
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if self.centered:
            grad_avg = state["grad_avg"]
            grad_avg += (1 - alpha) * (grad - grad_avg)  # torch's lerp
            denominator = np.sqrt(square_avg - grad_avg * grad_avg)
        else:
            denominator = np.sqrt(square_avg)
        denominator += self.eps
        if self.momentum > 0:
            buffer = state["momentum_buffer"]
            buffer *= self.momentum
            buffer += grad / denominator
            p -= lr * buffer
        else:
            p -= lr * grad / denominator
