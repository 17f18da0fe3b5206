"""Adam and AdamW: adaptive moment estimation, with L2 or decoupled weight decay."""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from .._validation import check_positive_float, received
from ..nn.parameter import Parameter
from .optimizer import Optimizer


class Adam(Optimizer):
    """Adam, step for step as ``torch.optim.Adam``.

    Parameters
    ----------
    params : iterable of Parameter
        What to train, usually ``model.parameters()``.
    lr : float, default 1e-3
        Learning rate.
    betas : (float, float), default (0.9, 0.999)
        Decay rates of the running averages of the gradient and of its square, each in
        ``[0, 1)``.
    eps : float, default 1e-8
        Added to the denominator for numerical stability.
    weight_decay : float, default 0
        L2 penalty added to the gradient (or, with ``decoupled_weight_decay``, the
        AdamW decay of the weights themselves).
    amsgrad : bool, default False
        Use the running maximum of the second moment (AMSGrad).
    decoupled_weight_decay : bool, default False
        Decay the weights directly, ``p <- p (1 - lr weight_decay)``: this is AdamW.

    Notes
    -----
    With :math:`t` the step count (from 1)::

        g <- g + weight_decay p                       (unless decoupled)
        m <- m + (1 - beta1) (g - m)
        v <- beta2 v + (1 - beta2) g^2
        p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    ``state`` holds ``"step"`` (an int), ``"exp_avg"`` (m), ``"exp_avg_sq"`` (v) and, with
    AMSGrad, ``"max_exp_avg_sq"``, under torch's names.

    Examples
    --------
    >>> p = Parameter(np.array([1.0, -1.0]))
    >>> optimizer = Adam([p], lr=0.1)
    >>> p.grad[:] = [3.0, -0.5]
    >>> optimizer.step()  # the first step moves each weight by about lr
    >>> p.data.round(6)
    array([ 0.9, -0.9])
    """

    hyperparameter_names = (
        "lr", "betas", "eps", "weight_decay", "amsgrad", "decoupled_weight_decay"
    )  # fmt: skip

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        decoupled_weight_decay: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            decoupled_weight_decay=decoupled_weight_decay,
        )

    def _configure(
        self,
        lr: float,
        betas: tuple[float, float],
        eps: float,
        weight_decay: float,
        amsgrad: bool,
        decoupled_weight_decay: bool,
    ) -> None:
        self.lr = lr
        self.betas = _check_betas(betas)
        self.eps = check_positive_float("eps", eps, allow_zero=True)
        self.weight_decay = check_positive_float("weight_decay", weight_decay, allow_zero=True)
        self.amsgrad = bool(amsgrad)
        self.decoupled_weight_decay = bool(decoupled_weight_decay)

    def _update(self, parameter: Parameter, state: dict[str, Any], lr: float) -> None:
        beta1, beta2 = self.betas
        p, grad = parameter.data, parameter.grad
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(p)
            state["exp_avg_sq"] = np.zeros_like(p)
            if self.amsgrad:
                state["max_exp_avg_sq"] = np.zeros_like(p)
        state["step"] += 1
        step, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]

        if self.weight_decay != 0:
            if self.decoupled_weight_decay:
                p *= 1 - lr * self.weight_decay
            else:
                grad = grad + self.weight_decay * p

        # One scratch array serves every intermediate, so a step allocates once.
        scratch = np.subtract(grad, exp_avg)
        scratch *= 1 - beta1
        exp_avg += scratch
        exp_avg_sq *= beta2
        np.multiply(grad, grad, out=scratch)
        scratch *= 1 - beta2
        exp_avg_sq += scratch

        second_moment = exp_avg_sq
        if self.amsgrad:
            second_moment = np.maximum(
                state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"]
            )
        denominator = np.sqrt(second_moment, out=scratch)
        denominator /= (1 - beta2**step) ** 0.5
        denominator += self.eps
        update = np.divide(exp_avg, denominator, out=scratch)
        update *= lr / (1 - beta1**step)
        p -= update


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay, step for step as ``torch.optim.AdamW``.

    Before the Adam update the weights shrink, ``p <- p (1 - lr weight_decay)``, instead
    of the decay entering the gradient (and so the moment estimates). Parameters as for
    :class:`Adam`, with ``weight_decay`` defaulting to ``1e-2``.

    Examples
    --------
    >>> p = Parameter(np.array([2.0]))
    >>> optimizer = AdamW([p], lr=0.1, weight_decay=0.5)
    >>> optimizer.step()  # zero gradient: only the decay acts, 2 * (1 - 0.05)
    >>> p.data
    array([1.9])
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, decoupled_weight_decay=True)


def _check_betas(betas: Any) -> tuple[float, float]:
    message = f"`betas` must be a pair of numbers in [0, 1). {received(betas=betas)}"
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(message)
    if not all(isinstance(b, numbers.Real) and not isinstance(b, bool) for b in betas):
        raise TypeError(message)
    if not all(0.0 <= b < 1.0 for b in betas):
        raise ValueError(message)
    return float(betas[0]), float(betas[1])
