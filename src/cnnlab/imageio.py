"""Reading and writing images: the one place cnnlab uses Pillow.

Images come in as float32 arrays scaled to ``[0, 1]``: ``(H, W)`` for grayscale and
``(H, W, C)`` channels-last for colour, the layout ``cnnlab.filters`` works on.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ._validation import check_array, check_choice, received

COLOR_MODES = ("keep", "gray", "rgb")
COMMON_SUFFIXES = (".png", ".jpg", ".tif", ".bmp", ".gif", ".webp")


def writable_suffixes() -> frozenset[str]:
    """The file-name suffixes of the image formats Pillow writes (``.png``, ``.jpg``, ...)."""
    Image.init()
    return frozenset(s for s, f in Image.registered_extensions().items() if f in Image.SAVE)


def check_image_path(path: str | Path, name: str = "path") -> Path:
    """Check that an image can be written at ``path``: a file name with an image suffix.

    >>> check_image_path("out", name="-o")
    Traceback (most recent call last):
    ...
    ValueError: `-o` must be a file name ending in an image format, such as .png, .jpg, .tif, \
.bmp, .gif, .webp. Received: -o='out'.
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"`{name}` must name a file, but {path} is a folder.")
    if path.suffix.lower() not in writable_suffixes():
        raise ValueError(
            f"`{name}` must be a file name ending in an image format, such as "
            f"{', '.join(COMMON_SUFFIXES)}. {received(**{name: str(path)})}"
        )
    return path


def read_image(path: str | Path, color: str = "keep") -> np.ndarray:
    """Read an image file into a float32 array in ``[0, 1]``.

    Parameters
    ----------
    path : str or Path
        Any format Pillow reads (PNG, JPEG, TIFF, BMP, ...).
    color : {"keep", "gray", "rgb"}
        ``"keep"`` returns grayscale files as ``(H, W)`` and colour files as
        ``(H, W, 3)`` (transparency is dropped); ``"gray"`` and ``"rgb"`` convert.

    The picture comes upright: a camera's EXIF orientation tag (a JPEG taken with the
    phone turned) is applied, as ``PIL.ImageOps.exif_transpose`` does.

    Returns
    -------
    ndarray of float32, shape ``(H, W)`` or ``(H, W, 3)``

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> write_image(os.path.join(folder, "ramp.png"), np.linspace(0, 1, 12).reshape(3, 4))
    >>> read_image(os.path.join(folder, "ramp.png")).shape
    (3, 4)
    """
    color = check_choice("color", color, COLOR_MODES)
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No such image file: {path}")
    if path.is_dir():
        raise IsADirectoryError(f"Expected an image file but found a folder: {path}")
    return _decode(path, color, str(path))


def decode_image(data: bytes, color: str = "keep", max_pixels: int | None = None) -> np.ndarray:
    """`read_image` for the bytes of an image file held in memory (an upload).

    ``max_pixels`` refuses, before decoding, an image with more pixels than that.

    >>> import io
    >>> buffer = io.BytesIO()
    >>> Image.fromarray(np.zeros((2, 3), np.uint8)).save(buffer, format="PNG")
    >>> decode_image(buffer.getvalue()).shape
    (2, 3)
    """
    color = check_choice("color", color, COLOR_MODES)
    return _decode(io.BytesIO(data), color, "the uploaded file", max_pixels)


def _decode(source, color: str, name: str, max_pixels: int | None = None) -> np.ndarray:
    """The image in ``source`` (a path or a file object) as `read_image` returns it."""
    try:
        with Image.open(source) as image:
            if max_pixels is not None and image.width * image.height > max_pixels:
                raise ValueError(
                    f"The image {name} is too large: {image.width}x{image.height} pixels, at "
                    f"most {max_pixels:,} are read."
                )
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            pil_mode = {"gray": "L", "rgb": "RGB"}.get(color)
            if pil_mode is None:
                pil_mode = (
                    "L"
                    if image.mode in ("1", "L", "I", "I;16", "F", "P")
                    and not (image.mode == "P" and "RGB" in image.palette.mode)
                    else "RGB"
                )
            if image.mode in ("I", "I;16", "F") and pil_mode == "L":
                data = np.asarray(image, dtype=np.float64)
                low, high = float(data.min()), float(data.max())
                scaled = (data - low) / (high - low) if high > low else np.zeros_like(data)
                return scaled.astype(np.float32)
            data = np.asarray(image.convert(pil_mode), dtype=np.float32)
    except Image.DecompressionBombError as error:  # e.g. a small file claiming 100k x 100k
        raise ValueError(f"The image {name} is too large to read: {error}") from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError(f"Not an image that Pillow can read: {name} ({error})") from error
    return data / np.float32(255.0)


def write_image(path: str | Path, image: np.ndarray, clip: bool = True) -> None:
    """Write a ``(H, W)`` or ``(H, W, 3)`` array as an 8-bit image (format from the suffix).

    Values are taken to lie in ``[0, 1]`` and clipped there (``clip=False`` rescales the
    array's own minimum and maximum to ``[0, 1]`` instead, for signed filter responses).
    """
    path = check_image_path(path)
    array = check_array("image", image, ndim=(2, 3), allow_complex=False).astype(np.float64)
    if array.ndim == 3 and array.shape[2] not in (1, 3, 4):
        raise ValueError(
            f"A colour image must have 1, 3 or 4 channels in its last axis. {received(image=image)}"
        )
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if not clip:
        low, high = np.nanmin(array), np.nanmax(array)
        array = (array - low) / (high - low) if high > low else np.zeros_like(array)
    array = np.nan_to_num(array, nan=0.0)
    pixels = np.round(np.clip(array, 0.0, 1.0) * 255).astype(np.uint8)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)
