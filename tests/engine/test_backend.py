"""The seam: choosing a backend, what each provides, and what layers do with it."""

import inspect
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import cnnlab
from cnnlab import backend, nn

SOURCE = pathlib.Path(cnnlab.__file__).parent


def test_fast_is_the_default_and_use_backend_switches_for_a_block_only():
    assert cnnlab.get_backend() == "fast"
    with cnnlab.use_backend("reference"):
        assert cnnlab.get_backend() == "reference"
    assert cnnlab.get_backend() == "fast"


def test_use_backend_goes_back_after_an_error():
    with pytest.raises(KeyError), cnnlab.use_backend("reference"):
        raise KeyError("inside")
    assert cnnlab.get_backend() == "fast"


def test_an_unknown_backend_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"'fast'.*Received: backend='gpu'"):
        cnnlab.set_backend("gpu")
    assert cnnlab.get_backend() == "fast"


@pytest.mark.parametrize("name", backend.OPS)
def test_both_backends_provide_every_op_with_the_same_parameters(name):
    fast, reference = (getattr(backend.ops(b), name) for b in ("fast", "reference"))
    assert list(inspect.signature(fast).parameters) == list(inspect.signature(reference).parameters)


def test_nothing_outside_the_backend_package_imports_the_fast_backend():
    importers = [
        path.relative_to(SOURCE)
        for path in SOURCE.rglob("*.py")
        if "backend" not in path.relative_to(SOURCE).parts[:1]
        and ("backend.fast" in path.read_text() or "from .fast" in path.read_text())
    ]
    assert importers == []


def test_the_fast_backend_loads_only_when_a_layer_first_runs():
    code = (
        "import sys, numpy as np, cnnlab.nn as nn; layer = nn.ReLU(); "
        "print('cnnlab.backend.fast' in sys.modules); layer(np.ones(2)); "
        "print('cnnlab.backend.fast' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_a_layers_backward_runs_on_the_backend_its_forward_ran_on():
    layer = nn.Conv2d(2, 3, 3, padding=1, rng=0).to(np.float64)
    x = np.random.default_rng(0).standard_normal((2, 2, 6, 6))
    with cnnlab.use_backend("reference"):
        y = layer(x)
        expected = layer.backward(np.ones_like(y))
    y = layer(x)  # fast, then backward after switching to the reference
    with cnnlab.use_backend("reference"):
        np.testing.assert_allclose(layer.backward(np.ones_like(y)), expected, rtol=1e-12)


def test_the_reference_backend_never_overwrites_an_input():
    x = np.array([-1.0, 2.0])
    with cnnlab.use_backend("reference"):
        assert not nn.ReLU().forward_in_place(x)
    np.testing.assert_array_equal(x, [-1.0, 2.0])
    assert nn.ReLU().forward_in_place(x)  # the fast one does
    np.testing.assert_array_equal(x, [0.0, 2.0])


def test_every_conv_layers_scratch_is_its_own():
    first, second = nn.Conv2d(1, 2, 3, rng=0), nn.Conv2d(1, 2, 3, rng=1)
    first(np.ones((2, 1, 5, 5), np.float32))
    assert first.scratch and not second.scratch  # filled by the fast backend, per layer
    with cnnlab.use_backend("reference"):
        second(np.ones((2, 1, 5, 5), np.float32))
    assert not second.scratch


EMPTY = {
    "Conv1d": (lambda: nn.Conv1d(3, 4, 3, padding=1, rng=0), (0, 3, 8), (0, 4, 8)),
    "Conv2d": (lambda: nn.Conv2d(3, 4, 3, stride=2, rng=0), (0, 3, 9, 9), (0, 4, 4, 4)),
    "Conv2d-1x1": (lambda: nn.Conv2d(3, 4, 1, rng=0), (0, 3, 5, 5), (0, 4, 5, 5)),
    "MaxPool1d": (lambda: nn.MaxPool1d(2), (0, 3, 8), (0, 3, 4)),
    "MaxPool2d": (lambda: nn.MaxPool2d(2), (0, 3, 8, 8), (0, 3, 4, 4)),
    "AvgPool2d": (lambda: nn.AvgPool2d(3, stride=1, padding=1), (0, 3, 5, 5), (0, 3, 5, 5)),
}


@pytest.mark.parametrize("case", list(EMPTY))
def test_an_empty_batch_gives_an_empty_output_and_gradient_as_torch(case, on_backend):
    build, shape, output_shape = EMPTY[case]
    layer = build()
    y = layer(np.zeros(shape, np.float32))
    assert y.shape == output_shape and y.dtype == np.float32
    assert layer.backward(np.zeros(output_shape, np.float32)).shape == shape
    for parameter in layer.parameters():
        np.testing.assert_array_equal(parameter.grad, 0.0)
