"""The management-system half: GB/T 23001 standards as data and the 评定 lifecycles (pure, no Django)."""
