"""The audit log: one append-only table and one base model every audited model inherits."""
