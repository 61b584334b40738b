"""A valid registration and quick ways to make one (through the service, as the page does)."""

from __future__ import annotations

from typing import Any

from tests.base import credit_code

STRONG = "Ronghe-注册-2026!"


def payload(serial: int = 101, region: str = "330106", **over: Any) -> dict[str, Any]:
    """A registration that passes every check: an enterprise in ``region`` with a fresh credit code."""
    data = {"name": f"杭州注册测试{serial}有限公司", "credit_code": credit_code(region, serial), "region": region,
            "industry": "34", "size": "300人以下", "contact_name": "张三", "email": f"reg{serial}@example.com",
            "phone": "0571-88886666", "username": f"reg{serial}", "password": STRONG}
    data.update(over)
    return data


def pending(serial: int = 101, region: str = "330106", **over: Any):
    from ronghe.apps.registrations import services

    return services.register(payload(serial, region, **over))
