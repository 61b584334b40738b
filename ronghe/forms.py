"""Form fields every app shares.

``KeyChoiceField`` is Django's ``ModelChoiceField`` with the key bounded before it reaches the
database: a posted ``abc`` or a 30-digit number is an invalid choice (a form error), where the plain
field would pass it to the query (an overflow on SQLite, a 500).
"""

from __future__ import annotations

import re

from django import forms


class KeyChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, self.queryset.model) and not re.fullmatch(r"[0-9]{1,18}", str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
