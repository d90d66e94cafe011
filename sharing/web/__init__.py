"""The web floor: the JSON API helpers, forms, schemas and the helpers every view uses."""
