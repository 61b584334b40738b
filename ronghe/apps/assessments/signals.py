"""Signals of the assessment workflow, for apps that keep something derived from it.

``assessment_scored`` is sent inside :func:`~ronghe.apps.assessments.services.approve`'s
transaction, right after the score is stored (``sender``: the Assessment class; ``score``: the
new Score). A receiver's writes commit or roll back with the approval.
"""

from django.dispatch import Signal

assessment_scored = Signal()
