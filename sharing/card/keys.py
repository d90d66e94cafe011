"""The ledger key: HMAC-SHA256 for the hash chain and the checkpoints, kept outside the database.

Where it comes from, in order:

1. ``LEDGER_KEY`` (the environment, or the app's config): the current key;
2. else the file ``LEDGER_KEY_FILE`` (default ``instance/ledger.key``): read if it exists; created on
   first start with mode 600 when ``LEDGER_KEY_CREATE`` allows it (development). Production does not
   create one (a silently new key would leave every earlier transaction unverifiable): it refuses to
   start without ``LEDGER_KEY`` or an existing key file.

Rotation: put the new key in ``LEDGER_KEY`` and the old ones in ``LEDGER_KEYS_OLD`` (comma-separated).
Each transaction and checkpoint records its key's id (a fingerprint, never the key), so the audit picks
the right key for each and old transactions keep verifying.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

EXTENSION = "ledger_keys"
MIN_LENGTH = 32


def key_id(key: bytes) -> str:
    """The key's public fingerprint (12 hex digits): recorded with what it signed."""
    return hashlib.sha256(b"sharing-ledger-key-id|" + key).hexdigest()[:12]


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]

    def mac(self, kid: str | None = None) -> hmac.HMAC | None:
        """A prepared HMAC-SHA256 for the key ``kid`` (default: the current key); None if unknown."""
        key = self.keys.get(kid or self.current_id)
        return None if key is None else hmac.new(key, digestmod=hashlib.sha256)

    def sign(self, text: str, kid: str | None = None) -> str | None:
        mac = self.mac(kid)
        if mac is None:
            return None
        mac.update(text.encode())
        return mac.hexdigest()


def _checked(text: str, where: str) -> bytes:
    text = text.strip()
    if len(text) < MIN_LENGTH:
        raise RuntimeError(f"the ledger key from {where} is too short (at least {MIN_LENGTH} characters)")
    return text.encode()


def _from_file(path: Path, create: bool) -> bytes:
    if path.exists():
        if path.stat().st_mode & 0o077:
            raise RuntimeError(f"{path} must be readable by its owner only: chmod 600 {path}")
        return _checked(path.read_text(encoding="ascii"), str(path))
    if not create:
        raise RuntimeError(
            f"LEDGER_KEY is not set and {path} does not exist: the card ledger needs its key "
            "(see docs/deploy.md)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    text = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker created it first: use theirs
        return _checked(path.read_text(encoding="ascii"), str(path))
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text + "\n")
        f.flush()
        os.fsync(f.fileno())
    return text.encode()


def init_app(app) -> Keyring:
    """Load the keyring into ``app.extensions`` (at start-up; raises when there is no key)."""
    cfg = app.config
    if cfg.get("LEDGER_KEY"):
        current = _checked(cfg["LEDGER_KEY"], "LEDGER_KEY")
    else:
        current = _from_file(Path(cfg["LEDGER_KEY_FILE"]), bool(cfg.get("LEDGER_KEY_CREATE")))
    keys = {key_id(current): current}
    for old in (cfg.get("LEDGER_KEYS_OLD") or "").split(","):
        if old.strip():
            key = _checked(old, "LEDGER_KEYS_OLD")
            keys.setdefault(key_id(key), key)
    if not cfg.get("LEDGER_CHECKPOINT_FILE"):
        if not app.testing:
            raise RuntimeError("LEDGER_CHECKPOINT_FILE must name the ledger's checkpoint file")
        cfg["LEDGER_CHECKPOINT_FILE"] = str(Path(tempfile.mkdtemp(prefix="ledger-")) / "checkpoints.jsonl")
    ring = Keyring(key_id(current), keys)
    app.extensions[EXTENSION] = ring
    return ring


def ring() -> Keyring:
    return current_app.extensions[EXTENSION]
