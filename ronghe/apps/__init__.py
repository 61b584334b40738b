"""Thin Django apps, one per domain concept, each with the same file names
(models, services, views, urls, api, schemas, admin). Views, the API and management commands
call the app's ``services.py``; the maths lives in ``ronghe.core``."""
