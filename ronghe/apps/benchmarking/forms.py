from django import forms


class DashboardForm(forms.Form):
    """Which dashboard: a region (GB/T 2260 code, 000000 for the country), a framework, a year."""

    region = forms.RegexField(regex=r"^\d{6}$", required=False)
    framework = forms.SlugField(max_length=80, required=False)
    year = forms.IntegerField(min_value=1949, max_value=2200, required=False)
