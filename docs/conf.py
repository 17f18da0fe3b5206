"""Sphinx configuration of cnnlab's site: API reference, tutorials, gallery.

Build it with ``sphinx-build -W --keep-going -b html docs docs/_build/html``.
"""

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

import public_api  # noqa: E402  (docs/_ext, on the path only now)

import cnnlab  # noqa: E402

project = "cnnlab"
author = "the cnnlab authors"
copyright = "2026, the cnnlab authors"
release = version = cnnlab.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "example_pictures",
    "plain_docstrings",
]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "gallery/*.ipynb", "gallery/*.py"]
templates_path = []

# --- API reference: docs/api/ is written from the package before Sphinx reads ---------
public_api.write_pages(DOCS / "api")  # docs/api/ is not kept in git
autodoc_typehints = "none"  # the numpydoc Parameters section gives the types
autodoc_member_order = "bysource"
# numpydoc would add a table of every method and attribute to each class page, linking
# to pages that do not exist; autodoc's `:members:` documents the methods on the page.
numpydoc_show_class_members = False
numpydoc_attributes_as_param_list = False

# --- Tutorials: notebooks stored without outputs, run while the site builds ------------
# "cache": each notebook runs once and its outputs are kept in docs/_build/.jupyter_cache
# until it changes. CNNLAB_DOCS_EXECUTE=off renders them without outputs (a quick look).
nb_execution_mode = os.environ.get("CNNLAB_DOCS_EXECUTE", "cache")
nb_execution_timeout = 300  # seconds per cell, as tests/test_notebooks.py
nb_execution_in_temp = True  # run in an empty folder: nothing is written into docs/
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True  # one box for what a cell prints, not one per write
myst_enable_extensions = ["dollarmath", "amsmath", "deflist"]
myst_heading_anchors = 3
# Jupyter draws figures inline unless MPLBACKEND says otherwise (CI sets Agg); the
# notebook kernels inherit this process's environment.
os.environ.pop("MPLBACKEND", None)

# --- Gallery of examples/: shown with their pictures, not run (see example_pictures) ---
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "gallery",
    "plot_gallery": "False",
    "download_all_examples": False,
    "write_computation_times": False,
    "remove_config_comments": True,
}

# --- Pages ----------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "cnnlab"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = ["_static"]
html_css_files = ["cnnlab.css"]
