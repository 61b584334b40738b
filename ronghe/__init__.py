"""ronghe (融合): an open platform for 两化融合 assessment, certification and regional evaluation."""

__version__ = "0.1.0"
