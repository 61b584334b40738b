"""The catalogue of framework versions in use: each row points at a YAML file by urn, version
and sha256, and keeps a copy of its bytes so that any stored score can be traced to, and
recomputed from, the exact file that produced it."""
