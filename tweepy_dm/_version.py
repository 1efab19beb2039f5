"""The package's version, one place for setup.cfg and the code to read."""

__version__ = "0.2.0"
