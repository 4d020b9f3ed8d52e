"""Python's cycle collector: paused while the package starts (imports, first conversion), while a
reader or writer runs, and spared its last pass at the command's exit.

Importing the package and the command's parser, writers and readers allocates hundreds of
thousands of objects (classes, functions, tables) that live as long as the process and form no
garbage; the collector, triggered by the allocations alone, walked them again and again.  While
paused, they are all young; :meth:`Pause.resume` hands them to the oldest generation (where they
would have ended once they had aged) rather than let the first allocation after
:func:`gc.enable` walk them all at once.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
from collections.abc import Iterator

__all__ = ["Pause", "collection_paused", "no_collection_at_exit"]


class Pause:
    """The collector paused from creation to :meth:`resume` (resumed only if it was running)."""

    __slots__ = ("paused",)

    def __init__(self) -> None:
        self.paused = gc.isenabled()
        gc.disable()

    def resume(self) -> None:
        """Run the collector again, if it was running when paused (once; later calls do nothing)."""
        if not self.paused:
            return
        self.paused = False
        if not gc.get_freeze_count():  # (never unfreeze what someone else froze)
            # gc.freeze() moves every tracked object to the permanent generation and forgets the
            # allocation count; gc.unfreeze() moves them all to the oldest generation.  No object
            # is left frozen: cyclic garbage among them is found by the next full collection.
            gc.freeze()
            gc.unfreeze()
        gc.enable()


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """The collector paused for the block (and resumed after, if it was running): while a reader runs.

    A reader allocates millions of small objects (tokens, tuples, IR nodes) and frees them by
    reference counting: none of them form cycles. The collector, triggered by the allocations
    alone, walked them over and over: a fifth of the time of reading a 5 MB article.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


#: Whether :func:`no_collection_at_exit` has run in this process.
_FREEZE_AT_EXIT: list[bool] = []


def no_collection_at_exit() -> None:
    """Spare the interpreter its last cycle collection, at exit, over every object then alive.

    Exiting, Python runs the cycle collector once more over all the objects of the process
    (the imported modules' included): about 9 ms, more than converting the sample to TEI takes.
    Their memory goes back with the process anyway.  :func:`gc.freeze` run at exit (``atexit``
    handlers run before that collection) takes them out of the collector's reach.  Nothing is
    frozen while the command runs, also when the command's ``main`` is called in a longer-lived
    process.
    """
    if not _FREEZE_AT_EXIT:
        atexit.register(gc.freeze)
        _FREEZE_AT_EXIT.append(True)
