"""Optimizer: the base of every optimizer; it owns the parameters, ``lr`` and the state.

One group only: every parameter shares the same hyper-parameters. A subclass names its
hyper-parameters in ``hyperparameter_names`` (``lr`` first), checks and stores them in
``_configure`` (used by ``__init__`` and ``load_state_dict`` alike), and defines
``_update``, the rule for one parameter; ``step()`` applies it to each parameter in turn,
in place on ``Parameter.data``. Schedulers change ``optimizer.lr`` between epochs.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from .._validation import check_positive_float, received
from ..nn.module import Module
from ..nn.parameter import Parameter


class Optimizer:
    """Base class: holds the parameters, the learning rate ``lr`` and per-parameter state.

    Parameters
    ----------
    params : iterable of Parameter
        What to train, usually ``model.parameters()``.
    lr : float
        Learning rate (non-negative); read and set as ``optimizer.lr``.

    Notes
    -----
    ``state_dict()`` returns plain data that a training checkpoint can hold::

        {"state": {0: {"momentum_buffer": array, ...}, 1: {...}},
         "hyperparameters": {"lr": 0.1, "momentum": 0.9, ...}}

    ``state`` is keyed by the parameter's position in ``params``; a parameter that has
    not been stepped yet has no entry.

    Examples
    --------
    >>> from cnnlab.optim import SGD
    >>> p = Parameter(np.array([1.0, 2.0]))
    >>> optimizer = SGD([p], lr=0.5)
    >>> p.grad[:] = [2.0, 2.0]
    >>> optimizer.step()
    >>> p.data
    array([0., 1.])
    >>> optimizer.zero_grad()
    >>> p.grad
    array([0., 0.])
    """

    hyperparameter_names: tuple[str, ...] = ("lr",)

    def __init__(self, params: Iterable[Parameter], **hyperparameters: Any) -> None:
        self.params = _collect_parameters(params)
        self.state: list[dict[str, Any]] = [{} for _ in self.params]
        self._configure(**hyperparameters)

    def _configure(self, lr: float) -> None:
        """Check and store the hyper-parameters (subclasses take their own)."""
        self.lr = lr

    @property
    def lr(self) -> float:
        """The learning rate used by the next ``step()``."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_positive_float("lr", value, allow_zero=True)

    # -- the update -----------------------------------------------------------------
    def step(self) -> None:
        """Update every parameter in place from its ``grad``."""
        lr = self._lr
        for parameter, state in zip(self.params, self.state, strict=True):
            self._update(parameter, state, lr)

    def _update(self, parameter: Parameter, state: dict[str, Any], lr: float) -> None:
        raise TypeError(f"{type(self).__name__} does not define _update().")

    def zero_grad(self) -> None:
        """Set every parameter's gradient to zero (in place)."""
        for parameter in self.params:
            parameter.zero_grad()

    # -- state ----------------------------------------------------------------------
    def hyperparameters(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.hyperparameter_names}

    def state_dict(self) -> dict[str, Any]:
        """Hyper-parameters and per-parameter state as plain dicts (arrays are copies)."""
        state = {
            index: {key: _copy(value) for key, value in entry.items()}
            for index, entry in enumerate(self.state)
            if entry
        }
        return {"state": state, "hyperparameters": self.hyperparameters()}

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Continue from ``state_dict()`` of an optimizer of the same kind and parameters.

        Refuses (``ValueError``) a state whose hyper-parameter names, parameter positions or
        array shapes differ from this optimizer's, with a message listing every difference.
        Arrays are copied and cast to each parameter's dtype.
        """
        if not isinstance(state_dict, Mapping) or set(state_dict) != {"state", "hyperparameters"}:
            keys = sorted(state_dict) if isinstance(state_dict, Mapping) else state_dict
            raise ValueError(
                "An optimizer state must be a dict with the keys 'state' and "
                f"'hyperparameters', as returned by state_dict(). {received(state_dict=keys)}"
            )
        problems = self._state_problems(state_dict)
        if problems:
            raise ValueError(
                f"The state does not match {type(self).__name__}:\n  " + "\n  ".join(problems)
            )
        self._configure(**state_dict["hyperparameters"])
        self.state = [{} for _ in self.params]
        for index, entry in state_dict["state"].items():
            dtype = self.params[int(index)].dtype
            self.state[int(index)] = {
                key: np.array(value, dtype=dtype) if isinstance(value, np.ndarray) else value
                for key, value in entry.items()
            }

    def _state_problems(self, state_dict: Mapping[str, Any]) -> list[str]:
        expected = set(self.hyperparameter_names)
        given = set(state_dict["hyperparameters"])
        problems = [f"missing hyper-parameter: {name}" for name in sorted(expected - given)]
        problems += [f"unexpected hyper-parameter: {name}" for name in sorted(given - expected)]
        for index, entry in state_dict["state"].items():
            if not isinstance(index, numbers.Integral) or not 0 <= index < len(self.params):
                count = len(self.params)
                problems.append(
                    f"unexpected state for parameter {index!r} (the optimizer has {count} "
                    f"parameter{'' if count == 1 else 's'})"
                )
                continue
            shape = self.params[index].shape
            for key, value in entry.items():
                if isinstance(value, np.ndarray) and value.shape != shape:
                    problems.append(
                        f"shape of state {index}.{key}: parameter has {shape}, "
                        f"state has {value.shape}"
                    )
        return problems

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        count = f"{len(self.params)} parameter{'' if len(self.params) == 1 else 's'}"
        return f"{type(self).__name__}({count}, {settings})"


def _copy(value: Any) -> Any:
    return value.copy() if isinstance(value, np.ndarray) else value


def _collect_parameters(params: Iterable[Parameter]) -> list[Parameter]:
    """The list of distinct floating-point Parameters in ``params``, checked."""
    if isinstance(params, (Module, Parameter)) or not isinstance(params, Iterable):
        raise TypeError(
            "`params` must be an iterable of Parameter objects, such as model.parameters(). "
            f"Received: params of type {type(params).__name__}."
        )
    items = list(params)
    if not items:
        raise ValueError(
            f"`params` is empty: the optimizer has nothing to update. {received(params=items)}"
        )
    seen: set[int] = set()
    for index, item in enumerate(items):
        if not isinstance(item, Parameter):
            raise TypeError(
                "`params` must hold only Parameter objects. "
                f"Received: item {index} of type {type(item).__name__}."
            )
        if not np.issubdtype(item.dtype, np.floating):
            raise TypeError(
                "`params` must hold floating-point Parameters. "
                f"Received: item {index} with dtype {item.dtype}."
            )
        if id(item) in seen:
            raise ValueError(
                "`params` holds the same Parameter more than once, so it would be updated "
                f"twice per step. Received: item {index}, a repeat of an earlier item."
            )
        seen.add(id(item))
    return items
