"""The API's routers, one per resource; :func:`threadline.api.app.create_app` mounts them."""
