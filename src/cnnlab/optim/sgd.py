"""SGD: stochastic gradient descent with optional momentum, dampening, Nesterov and decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._validation import check_positive_float, received
from ..nn.parameter import Parameter
from .optimizer import Optimizer


class SGD(Optimizer):
    r"""Stochastic gradient descent, step for step as ``torch.optim.SGD``.

    Parameters
    ----------
    params : iterable of Parameter
        What to train, usually ``model.parameters()``.
    lr : float, default 1e-3
        Learning rate (torch's default too).
    momentum : float, default 0
        Momentum factor; 0 is plain gradient descent.
    dampening : float, default 0
        Dampening of the momentum: the new gradient enters the buffer with weight
        ``1 - dampening``.
    weight_decay : float, default 0
        L2 penalty: ``weight_decay * p`` is added to the gradient.
    nesterov : bool, default False
        Nesterov momentum; needs ``momentum > 0`` and ``dampening == 0``.

    Notes
    -----
    With :math:`g` the gradient, :math:`\mu` the momentum, :math:`\tau` the dampening,
    :math:`\lambda` the weight decay and :math:`\gamma` the learning rate::

        g <- g + lambda p
        b <- g                               on the first step
        b <- mu b + (1 - tau) g              afterwards
        g <- g + mu b   (Nesterov)   or   g <- b
        p <- p - gamma g

    The momentum buffer ``b`` is kept in ``state`` as ``"momentum_buffer"``.

    Examples
    --------
    >>> p = Parameter(np.array([1.0]))
    >>> optimizer = SGD([p], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     p.grad[:] = 1.0
    ...     optimizer.step()
    >>> p.data  # 1 - 0.1 * 1 - 0.1 * 1.9
    array([0.71])
    """

    hyperparameter_names = ("lr", "momentum", "dampening", "weight_decay", "nesterov")

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
        )

    def _configure(
        self, lr: float, momentum: float, dampening: float, weight_decay: float, nesterov: bool
    ) -> None:
        self.lr = lr
        self.momentum = check_positive_float("momentum", momentum, allow_zero=True)
        self.dampening = check_positive_float("dampening", dampening, allow_zero=True)
        self.weight_decay = check_positive_float("weight_decay", weight_decay, allow_zero=True)
        self.nesterov = bool(nesterov)
        if self.nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError(
                "Nesterov momentum needs a positive `momentum` and zero `dampening`. "
                + received(nesterov=nesterov, momentum=momentum, dampening=dampening)
            )

    def _update(self, parameter: Parameter, state: dict[str, Any], lr: float) -> None:
        grad = parameter.grad
        if self.weight_decay != 0:
            grad = grad + self.weight_decay * parameter.data
        if self.momentum != 0:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = state["momentum_buffer"] = np.array(grad, copy=True)
            else:
                buffer *= self.momentum
                if self.dampening != 0:
                    buffer += (1 - self.dampening) * grad
                else:
                    buffer += grad
            grad = grad + self.momentum * buffer if self.nesterov else buffer
        parameter.data -= lr * grad
