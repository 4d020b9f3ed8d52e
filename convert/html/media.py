"""The article's images as the rendering names them: ``data:`` URIs, files of their own, their media types.

* :func:`data_uri` embeds an asset in the page (the HTML and the PDF);
* :func:`media_name` is the content-addressed file name of an asset (the EPUB's
  ``images/`` folder, the folder of ``--extract-media``);
* :func:`media_files` lists the files ``--extract-media DIR`` writes beside an HTML page;
* :func:`read_image_file` reads an image file given on the command line (``--cover``),
  its media type told by its bytes (:func:`convert.assets.sniff`);
* :func:`with_cover` and :func:`write_media` are what :func:`convert.write` does
  around the pure writers for ``--cover`` and ``--extract-media``.
"""

from __future__ import annotations

import base64
import posixpath
from pathlib import Path

from ..errors import InputError
from ..ir.model import Article, Asset, Figure, Image
from ..ir.walk import Node, query

__all__ = [
    "IMAGE_EXTENSIONS",
    "MAX_IMAGE_BYTES",
    "data_uri",
    "image_refs",
    "media_files",
    "media_name",
    "media_path",
    "read_image_file",
    "with_cover",
    "write_media",
]

#: File name extensions of the image media types the writers know.
IMAGE_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/svg+xml": ".svg",
    "image/webp": ".webp",
    "image/avif": ".avif",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "image/x-icon": ".ico",
    "image/vnd.microsoft.icon": ".ico",
}
#: Largest image file read for ``--cover``.
MAX_IMAGE_BYTES = 64 * 1024 * 1024


def data_uri(asset: Asset) -> str:
    """``asset`` as a ``data:`` URI (base64)."""
    return f"data:{asset.media_type};base64,{base64.b64encode(asset.data).decode('ascii')}"


def media_name(asset: Asset) -> str:
    """A file name for ``asset``: its checksum (so the same bytes are one file) and its type's extension."""
    media_type = asset.media_type.partition(";")[0].strip().lower()
    return asset.sha256[:20] + IMAGE_EXTENSIONS.get(media_type, ".bin")


def media_path(folder: str, asset: Asset) -> str:
    """The path of ``asset`` inside ``folder`` as a page names it (``/`` separated, relative when ``folder`` is)."""
    return posixpath.join(folder.replace("\\", "/").rstrip("/") or ".", media_name(asset))


def _image_ref(node: Node) -> tuple[str, ...]:
    if isinstance(node, Image):
        return (node.src,)
    if isinstance(node, Figure) and node.image is not None:
        return (node.image.src,)
    return ()


def image_refs(article: Article) -> tuple[str, ...]:
    """The ``src`` of every image of the article (body and notes), in reading order, once each."""
    return tuple(dict.fromkeys(query(_image_ref, article)))


def media_files(article: Article, folder: str) -> dict[str, bytes]:
    """The files ``--extract-media folder`` writes: path -> bytes, one per distinct image the article holds."""
    out: dict[str, bytes] = {}
    assets: dict[str, Asset] = {}
    for held in article.assets:
        assets.setdefault(held.ref, held)
    for ref in image_refs(article):
        asset = assets.get(ref)
        if asset is not None and asset.media_type.lower().startswith("image/"):
            out.setdefault(media_path(folder, asset), asset.data)
    return out


def read_image_file(path: str) -> Asset:
    """The image file ``path`` as an asset whose ``ref`` is ``path``; :class:`InputError` when it is not one."""
    try:
        with Path(path).open("rb") as fh:
            data = fh.read(MAX_IMAGE_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory", path=path) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path=path) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise InputError(f"larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MiB", path=path)
    from ..assets import sniff

    media_type = sniff(data)
    if media_type is None:
        raise InputError("not an image (PNG, JPEG, GIF, WebP or SVG)", path=path)
    return Asset(path, media_type, data)


def with_cover(article: Article, path: str) -> Article:
    """``article`` holding the image file ``path`` as an asset (``ref`` ``path``), unless it holds that ref already."""
    if article.asset(path) is not None:
        return article
    try:
        cover = read_image_file(path)
    except InputError as exc:
        raise InputError(f"cover image: {exc.message}", path=path) from None
    return Article(article.metadata, article.body, article.notes, (*article.assets, cover))


def write_media(article: Article, folder: str, name_as: str | None = None) -> list[str]:
    """Write the article's images into ``folder`` (``--extract-media``); returns the paths written.

    The names are the files' checksums (:func:`media_name`), so a file already
    there with the same name holds the same bytes and is left alone.  ``name_as``
    is the folder as the page names it (relative to the page), when it differs.
    Files go through :func:`convert.files.write_file` (temporary file and rename).
    """
    from ..files import write_file

    written = []
    for page_path, data in media_files(article, name_as if name_as is not None else folder).items():
        path = str(Path(folder) / posixpath.basename(page_path))
        try:
            if Path(path).read_bytes() == data:
                continue
        except OSError:
            pass
        write_file(data, path)
        written.append(path)
    return written
