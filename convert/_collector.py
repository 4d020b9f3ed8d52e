"""Python's cycle collector paused while the package starts (imports, first conversion).

Importing the package and the command's parser, writers and readers allocates hundreds of
thousands of objects (classes, functions, tables) that live as long as the process and form no
garbage; the collector, triggered by the allocations alone, walked them again and again.  While
paused, they are all young; :meth:`Pause.resume` hands them to the oldest generation (where they
would have ended once they had aged) rather than let the first allocation after
:func:`gc.enable` walk them all at once.
"""

from __future__ import annotations

import gc

__all__ = ["Pause"]


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
