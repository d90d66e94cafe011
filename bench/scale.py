"""Pages at scale (placeholder: the driver follows)."""

from urllib.parse import quote

PAGES = [
    ("home", "/"),
    ("market HTML", "/market"),
    ("archive HTML", "/archive"),
    ("archive HTML search", "/archive?q=" + quote("공구")),
    ("news HTML", "/news"),
    ("events HTML", "/news/events"),
    ("organisations HTML", "/organizations"),
    ("listings API", "/api/v1/listings"),
    ("listings search API (2 chars)", "/api/v1/listings?q=" + quote("드릴")),
    ("resources API", "/api/v1/resources"),
    ("resources search API (2 chars)", "/api/v1/resources?q=" + quote("공구")),
    ("posts API", "/api/v1/posts"),
    ("organisations API", "/api/v1/organizations"),
]
