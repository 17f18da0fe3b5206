"""The gallery's pictures: each example's figures, as it saved them into docs/.

The examples train networks for one to six minutes each and copy their figures into
``docs/`` (the README shows them), so the gallery shows their code without running it,
and this extension adds to each example's page the pictures its docstring names
(``docs/fringes.png``), and makes the first one its thumbnail. The first line of the
docstring, a plain sentence, becomes the page's title.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx_gallery.gen_rst import scale_image

PICTURE = re.compile(r"\bdocs/([\w-]+\.png)\b")
MARK = ".. example pictures\n"
UNDERLINE = re.compile(r"([=\-~^\"'`#*+])\1{2,}")


def pictures_named(example: Path) -> list[str]:
    """The ``docs/*.png`` names in the example's docstring, in order, each once."""
    docstring = ast.get_docstring(ast.parse(example.read_text())) or ""
    return list(dict.fromkeys(PICTURE.findall(docstring)))


def with_title(text: str, stem: str) -> str:
    """The docstring's first line, underlined: the page's title (unless it has one)."""
    label = f".. _sphx_glr_gallery_{stem}.py:\n\n"
    head, found, tail = text.partition(label)
    first, newline, rest = tail.partition("\n")
    if not found or UNDERLINE.fullmatch(rest.partition("\n")[0].strip()):
        return text
    first = first.rstrip(".")
    return f"{head}{label}{first}\n{'=' * len(first)}{newline}{rest}"


def with_pictures(text: str, stem: str, names: list[str]) -> str:
    """The pictures before the download links, where a run example's figures go."""
    anchor = f".. _sphx_glr_download_gallery_{stem}.py:"
    head, found, tail = text.partition(anchor)
    if not names or not found or MARK in text:
        return text
    figures = "".join(
        f".. figure:: /{name}\n   :alt: {name}\n\n   ``docs/{name}``, as the example saved it.\n\n"
        for name in names
    )
    return f"{head}{MARK}\n{figures}{found}{tail}"


def add_pictures(app: Sphinx) -> None:
    source = Path(app.srcdir)
    conf = app.config.sphinx_gallery_conf
    examples = (source / conf["examples_dirs"]).resolve()
    gallery = source / conf["gallery_dirs"]
    for example in sorted(examples.glob("*.py")):
        page = gallery / f"{example.stem}.rst"
        if not page.is_file():
            continue
        names = [name for name in pictures_named(example) if (source / name).is_file()]
        text = page.read_text()
        new = with_pictures(with_title(text, example.stem), example.stem, names)
        if new == text:
            continue
        page.write_text(new)
        if names:
            thumbnail = gallery / "images" / "thumb" / f"sphx_glr_{example.stem}_thumb.png"
            scale_image(str(source / names[0]), str(thumbnail), *conf["thumbnail_size"])


def setup(app: Sphinx) -> dict:
    # after sphinx-gallery has written the pages (builder-inited, priority 500)
    app.connect("builder-inited", add_pictures, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
