"""Pilot and demonstration programmes (试点示范): eligibility rules, the expert review and the lifecycles,
as pure computation (no Django)."""
