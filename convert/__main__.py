"""``python -m convert`` runs the artconv command."""

import sys

from ._imports_write import keep_at_exit
from .cli import main

keep_at_exit()  # the command's imports are kept for its next run (see convert._imports)
sys.exit(main())
