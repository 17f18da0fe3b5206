"""The error a sub-command raises for bad input it finds after parsing."""


class UsageError(Exception):
    """Bad command-line input: reported as one line on stderr with exit status 2."""
