"""Frameworks as data: the YAML format (schema), loading and validation (load), compilation to
arrays for vectorised scoring (compile)."""

from ronghe.core.frameworks.load import Loaded, load, load_bytes, resolve, shipped, validate
from ronghe.core.frameworks.schema import Framework

__all__ = ["Framework", "Loaded", "load", "load_bytes", "resolve", "shipped", "validate"]
