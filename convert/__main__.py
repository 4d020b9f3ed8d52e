"""``python -m convert`` runs the artconv command."""

import sys

from .cli import main

sys.exit(main())
