"""The API's routers, one per kind of resource; :func:`api.main.create_app` includes them under /api/v1."""
