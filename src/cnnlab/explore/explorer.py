"""explore(): start the page's server for a model, in a thread; the Explorer that runs it."""

from __future__ import annotations

import html
import threading
import webbrowser
from pathlib import Path

from .._validation import received
from ..imageio import read_image
from ..nn import Module
from .layers import schematic
from .loading import load
from .pictures import prepare_picture
from .server import ExploreServer
from .session import Session


class Explorer:
    """A running explorer: its page at ``url`` until ``close()`` (also a context manager)."""

    def __init__(self, session: Session, port: int = 0):
        self.session = session
        self.server = ExploreServer(session, port)
        self.port = self.server.port
        self.token = self.server.token
        self.url = f"http://127.0.0.1:{self.port}/?token={self.token}"
        self._thread = self.server.start()
        # the schematic takes matplotlib a while (0.3 s for LeNet-5, 1.3 s for a ResNeXt):
        # drawn now, it is ready when the page asks
        threading.Thread(target=schematic, args=(session,), daemon=True).start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Explorer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Explorer({self.session.loaded.name!r}, url={self.url!r})"

    def _repr_html_(self) -> str:
        """The page itself, in a notebook."""
        url = html.escape(self.url, quote=True)
        return f'<iframe src="{url}" width="100%" height="820" style="border:0"></iframe>'


def explore(
    model: str | Path | Module | None = None,
    image: str | Path | None = None,
    port: int = 0,
    open_browser: bool = True,
    *,
    input_shape: tuple[int, ...] | None = None,
    architecture: str | None = None,
    console=None,
) -> Explorer:
    """Serve the explorer page for ``model`` on 127.0.0.1 and return the running `Explorer`.

    Parameters
    ----------
    model : str, Path, Module or None
        A zoo name (``"lenet5"``), a ``model.safetensors`` from ``cnnlab train``, a torch
        ``.pth`` file (with ``architecture``), ``"path/to/file.py:factory"``, or a Module
        (with ``input_shape``). None: the LeNet-5 of ``cnnlab demo`` (trained if missing).
    image : str or Path, optional
        An image file to start with (else the first built-in example).
    port : int
        0 picks a free port.
    open_browser : bool
        Open the page in the default browser.
    input_shape : tuple of int, optional
        One example's shape, for a Module or a factory that does not say it.
    architecture : str, optional
        The zoo architecture of a ``.pth`` file.

    Examples
    --------
    >>> with explore("lenet5", open_browser=False) as explorer:
    ...     explorer.url.startswith("http://127.0.0.1:")
    True
    """
    loaded = load(model, input_shape, architecture, console)
    if len(loaded.input_shape) != 3 and image is not None:
        raise ValueError(f"`image` is for models of images (C, H, W). {received(image=image)}")
    session = Session(loaded)
    if image is not None:
        picture = read_image(image, color="gray" if loaded.input_shape[0] == 1 else "rgb")
        session.set_image(prepare_picture(picture, loaded.input_shape, loaded.imagenet))
    explorer = Explorer(session, port)
    if open_browser:
        webbrowser.open(explorer.url)
    return explorer
