"""Users' roles: which organisation a person acts for, and the one module that decides who may
see what (``access.py``)."""
