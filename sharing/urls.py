"""Redirect targets: only local paths, never another site (no open redirect)."""

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str = "/") -> str:
    if not target:
        return default
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
