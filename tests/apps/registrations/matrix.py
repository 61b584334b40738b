"""The registration routes of the permission matrix, imported by ``tests/apps/test_permission_matrix.py``
(whose "every API route has a row" check reads ``API_TEMPLATES``). Not a test module itself."""

R = "/api/registrations"
API_TEMPLATES = {("post", f"{R}/"), ("get", f"{R}/"), ("get", f"{R}/{{registration_id}}"),
                 ("post", f"{R}/{{registration_id}}/approve"), ("post", f"{R}/{{registration_id}}/reject")}
