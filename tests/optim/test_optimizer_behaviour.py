"""Optimizers: convergence, zero_grad, dtypes, state dicts and error messages."""

import numpy as np
import pytest

from cnnlab.nn import Module, Parameter, Sequential
from cnnlab.optim import SGD, Adam, AdamW, Optimizer


def bowl_gradient(x, curvatures):
    """Gradient of the quadratic bowl f(x) = 1/2 sum(curvatures * x**2)."""
    return curvatures * x


@pytest.mark.parametrize(
    "kwargs",
    [{"lr": 0.1}, {"lr": 0.05, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9, "nesterov": True}],
)
def test_sgd_rolls_to_the_bottom_of_a_quadratic_bowl(kwargs):
    curvatures = np.array([1.0, 4.0, 10.0])
    x = Parameter(np.array([3.0, -2.0, 1.0]))
    optimizer = SGD([x], **kwargs)
    for _ in range(300):
        optimizer.zero_grad()
        x.grad += bowl_gradient(x.data, curvatures)
        optimizer.step()
    np.testing.assert_allclose(x.data, 0.0, atol=1e-6)


@pytest.mark.parametrize("make", [lambda p: Adam(p, lr=0.05), lambda p: AdamW(p, lr=0.05)])
def test_adam_reaches_the_bottom_of_a_bowl_with_very_uneven_curvature(make):
    curvatures = np.array([1e-3, 1.0, 1e3])
    x = Parameter(np.array([1.0, 1.0, 1.0]))
    optimizer = make([x])
    for _ in range(1000):
        optimizer.zero_grad()
        x.grad += bowl_gradient(x.data, curvatures)
        optimizer.step()
    assert np.all(np.abs(x.data) < 0.05)


def test_zero_grad_zeroes_every_gradient_in_place():
    parameters = [Parameter(np.ones((2, 3))), Parameter(np.ones(4, dtype=np.float32))]
    gradients = [p.grad for p in parameters]
    for p in parameters:
        p.grad += 5
    SGD(parameters, lr=0.1).zero_grad()
    for p, gradient in zip(parameters, gradients):
        assert p.grad is gradient
        assert not p.grad.any()


@pytest.mark.parametrize(
    "make",
    [lambda p: SGD(p, lr=0.1, momentum=0.9, weight_decay=0.1), lambda p: Adam(p, weight_decay=0.1),
     lambda p: AdamW(p, amsgrad=True)],
)  # fmt: skip
def test_float32_parameters_and_state_stay_float32(make):
    p = Parameter(np.ones(5, dtype=np.float32))
    optimizer = make([p])
    optimizer.lr = np.float64(0.01)  # a NumPy scalar must not upcast the update
    data = p.data
    for _ in range(3):
        p.grad[:] = 0.5
        optimizer.step()
    assert p.data is data and p.dtype == np.float32
    assert all(v.dtype == np.float32 for v in optimizer.state[0].values() if hasattr(v, "dtype"))


def test_optimizer_accepts_model_parameters():
    class Scale(Module):
        def __init__(self):
            super().__init__()
            self.weight = Parameter(np.ones(3))

    model = Sequential(Scale(), Scale())
    optimizer = SGD(model.parameters(), lr=0.5)
    model[1].weight.grad[:] = 2.0
    optimizer.step()
    np.testing.assert_array_equal(model[1].weight.data, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(model[0].weight.data, [1.0, 1.0, 1.0])


def test_state_dict_is_plain_data_and_a_copy():
    p = Parameter(np.ones(3))
    optimizer = Adam([p], lr=0.1)
    p.grad[:] = 1.0
    optimizer.step()
    state = optimizer.state_dict()
    assert state["hyperparameters"] == {
        "lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False,
        "decoupled_weight_decay": False,
    }  # fmt: skip
    assert set(state["state"][0]) == {"step", "exp_avg", "exp_avg_sq"}
    assert state["state"][0]["step"] == 1
    state["state"][0]["exp_avg"][:] = 99.0
    assert optimizer.state[0]["exp_avg"][0] != 99.0


def test_loading_state_casts_arrays_to_the_parameters_dtype():
    source = SGD([Parameter(np.ones(3))], lr=0.1, momentum=0.9)
    source.params[0].grad[:] = 1.0
    source.step()
    target = SGD([Parameter(np.ones(3, dtype=np.float32))], lr=0.1, momentum=0.9)
    target.load_state_dict(source.state_dict())
    assert target.state[0]["momentum_buffer"].dtype == np.float32


def test_loading_a_state_that_does_not_fit_lists_every_difference():
    adam = Adam([Parameter(np.ones(3)), Parameter(np.ones(2))])
    for p in adam.params:
        p.grad[:] = 1.0
    adam.step()
    sgd = SGD([Parameter(np.ones(4))], lr=0.1)
    with pytest.raises(ValueError) as caught:
        sgd.load_state_dict(adam.state_dict())
    assert str(caught.value).splitlines() == [
        "The state does not match SGD:",
        "  missing hyper-parameter: dampening",
        "  missing hyper-parameter: momentum",
        "  missing hyper-parameter: nesterov",
        "  unexpected hyper-parameter: amsgrad",
        "  unexpected hyper-parameter: betas",
        "  unexpected hyper-parameter: decoupled_weight_decay",
        "  unexpected hyper-parameter: eps",
        "  shape of state 0.exp_avg: parameter has (4,), state has (3,)",
        "  shape of state 0.exp_avg_sq: parameter has (4,), state has (3,)",
        "  unexpected state for parameter 1 (the optimizer has 1 parameter)",
    ]


def test_loading_something_that_is_not_a_state_dict_is_refused():
    with pytest.raises(ValueError, match="An optimizer state must be a dict with the keys 'state' "
                       "and 'hyperparameters', as returned by state_dict\\(\\). Received: "
                       "state_dict=\\['lr'\\]."):  # fmt: skip
        SGD([Parameter(np.ones(1))], lr=0.1).load_state_dict({"lr": 0.1})


def test_base_optimizer_without_update_rule_says_so():
    optimizer = Optimizer([Parameter(np.ones(1))], lr=0.1)
    with pytest.raises(TypeError, match="Optimizer does not define _update"):
        optimizer.step()


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda p: SGD(p, lr=-0.1), ValueError,
         "`lr` must be a non-negative number. Received: lr=-0.1."),
        (lambda p: SGD(p, lr="fast"), TypeError,
         "`lr` must be a non-negative number. Received: lr='fast'."),
        (lambda p: SGD(p, lr=0.1, momentum=-0.5), ValueError,
         "`momentum` must be a non-negative number. Received: momentum=-0.5."),
        (lambda p: SGD(p, lr=0.1, weight_decay=-1), ValueError,
         "`weight_decay` must be a non-negative number. Received: weight_decay=-1.0."),
        (lambda p: SGD(p, lr=0.1, nesterov=True), ValueError,
         "Nesterov momentum needs a positive `momentum` and zero `dampening`. "
         "Received: nesterov=True, momentum=0.0, dampening=0.0."),
        (lambda p: SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), ValueError,
         "Nesterov momentum needs a positive `momentum` and zero `dampening`. "
         "Received: nesterov=True, momentum=0.9, dampening=0.1."),
        (lambda p: Adam(p, betas=(0.9, 1.0)), ValueError,
         "`betas` must be a pair of numbers in [0, 1). Received: betas=(0.9, 1.0)."),
        (lambda p: Adam(p, betas=(-0.1, 0.999)), ValueError,
         "`betas` must be a pair of numbers in [0, 1). Received: betas=(-0.1, 0.999)."),
        (lambda p: AdamW(p, betas=0.9), TypeError,
         "`betas` must be a pair of numbers in [0, 1). Received: betas=0.9."),
        (lambda p: Adam(p, eps=-1e-8), ValueError,
         "`eps` must be a non-negative number. Received: eps=-1e-08."),
        (lambda p: AdamW(p, weight_decay=-0.01), ValueError,
         "`weight_decay` must be a non-negative number. Received: weight_decay=-0.01."),
        (lambda p: SGD([], lr=0.1), ValueError,
         "`params` is empty: the optimizer has nothing to update. Received: params=[]."),
        (lambda p: SGD(Sequential(), lr=0.1), TypeError,
         "`params` must be an iterable of Parameter objects, such as model.parameters(). "
         "Received: params of type Sequential."),
        (lambda p: SGD([p[0], np.ones(2)], lr=0.1), TypeError,
         "`params` must hold only Parameter objects. Received: item 1 of type ndarray."),
        (lambda p: SGD([p[0], p[0]], lr=0.1), ValueError,
         "`params` holds the same Parameter more than once, so it would be updated twice per "
         "step. Received: item 1, a repeat of an earlier item."),
        (lambda p: SGD([Parameter(np.arange(3))], lr=0.1), TypeError,
         "`params` must hold floating-point Parameters. Received: item 0 with dtype int64."),
    ],
)  # fmt: skip
def test_bad_settings_are_refused_with_clear_messages(build, error, message):
    with pytest.raises(error) as caught:
        build([Parameter(np.ones(2))])
    assert str(caught.value) == message


def test_setting_a_negative_lr_later_is_refused():
    optimizer = SGD([Parameter(np.ones(1))], lr=0.1)
    with pytest.raises(ValueError, match="`lr` must be a non-negative number"):
        optimizer.lr = -1.0


def test_repr_shows_the_settings():
    optimizer = SGD([Parameter(np.ones(2))], lr=0.1, momentum=0.9)
    assert repr(optimizer) == (
        "SGD(1 parameter, lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=False)"
    )
