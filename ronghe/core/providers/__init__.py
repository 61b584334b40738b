"""The service-provider catalogue (服务商): matching offerings to an enterprise's weakest indicators,
coverage of a region's weak indicators by providers, and the lifecycle of a service request — as pure
computation (no Django)."""
