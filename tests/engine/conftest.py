"""Fixtures of the engine tests."""

import pytest

import cnnlab


@pytest.fixture(params=["fast", "reference"])
def on_backend(request):
    """Run the test once on each backend: the default "fast" one and the "reference"."""
    with cnnlab.use_backend(request.param):
        yield request.param
