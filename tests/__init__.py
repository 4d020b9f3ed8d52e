"""artconv test suite."""
