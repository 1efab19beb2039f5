"""XChat Layer 2 needs chatxdk, which exists for CPython 3.10+ only: the tests skip
themselves (with that reason) where it cannot be installed."""
