"""The input-size check shared by the architectures."""

from __future__ import annotations

from .._validation import check_positive_int, received


def check_min_size(name: str, value: int, minimum: int) -> int:
    """A positive int at least ``minimum`` (the smallest input an architecture can take)."""
    value = check_positive_int(name, value)
    if value < minimum:
        raise ValueError(f"`{name}` must be at least {minimum}. {received(**{name: value})}")
    return value
