"""The header's badges count to 99 and then say "99+" (a province's queue can hold 100,000)."""

import re

import pytest
from django.urls import reverse

from ronghe.apps.notifications.services import notify
from ronghe.context import badge

pytestmark = pytest.mark.django_db


def _badge(page: str, link_id: str) -> str:
    found = re.search(rf'id="{link_id}">[^<]*(?:<span class="count">([^<]*)</span>)?</a>', page)
    assert found, link_id
    return found.group(1) or ""


@pytest.mark.parametrize(("n", "shown"), [(0, ""), (1, "1"), (99, "99"), (100, "99+"), (130, "99+")])
def test_the_notification_badge_counts_to_99(client, world, n, shown):
    for k in range(n):
        notify([world.ent_a], "test", f"第 {k} 条", "", "/")
    client.force_login(world.ent_a)
    assert _badge(client.get(reverse("home")).content.decode(), "nav-notifications") == shown


def test_a_badge_reads_at_most_a_hundred_rows(world, django_assert_max_num_queries):
    from ronghe.apps.notifications.models import Notification

    for k in range(120):
        notify([world.ent_a], "test", f"第 {k} 条", "", "/")
    qs = Notification.objects.filter(user=world.ent_a)
    with django_assert_max_num_queries(1) as queries:
        assert badge(qs) == "99+"
    assert "LIMIT 100" in queries.captured_queries[0]["sql"] and "ORDER BY" not in queries.captured_queries[0]["sql"]
