"""Peak memory of one gunicorn worker while four large images are uploaded at once.

``.venv/bin/python -m bench.uploads`` (also part of ``make bench``): a fresh SQLite database with one
resident and one listing; gunicorn with ONE gthread worker of four threads, so the four uploads land
in the same process; each round posts, at the same moment, two PNGs just under the pixel cap
(``IMAGE_MAX_PIXELS``, 24 MP: a PNG is decoded whole) and two 24 MP JPEGs (decoded at reduced
size), and the worker's peak resident set (VmHWM, from /proc) is read at the end. Aim: under
300 MB. The photos are deleted again after each round (the listing holds eight at most).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from .server import PYTHON, ROOT, env_for, serve, worker_peak_mb

MEMORY_AIM_MB = 300
PNG_SIZE = (5600, 4280)  # 23.97 MP: just under the cap
JPEG_SIZE = (6000, 4000)  # 24 MP


def setup(db_path: str, out: str) -> None:
    """Run in a child process: schema, one resident with a token, one listing of theirs."""
    from sharing import create_app
    from sharing.auth.models import User
    from sharing.auth.services import hash_password, issue_token
    from sharing.core.db import transaction
    from sharing.core.extensions import db
    from sharing.market.models import Listing

    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_path}")
    with app.app_context():
        db.create_all()
        with transaction():
            user = User(
                email="uploader@demo.sharing.kr",
                password_hash=hash_password("bench-1234"),
                name="uploader",
                dong="성북동",
                role="resident",
            )
            db.session.add(user)
            db.session.flush()
            listing = Listing(
                owner_id=user.id, kind="share", title="사진 많은 물건", description="", category="tools",
                dong="성북동", condition="good", status="active",
            )  # fmt: skip
            db.session.add(listing)
        token, _expires = issue_token(user)
        Path(out).write_text(json.dumps({"token": token, "listing": listing.id}))


def images() -> list[tuple[str, bytes]]:
    """Two PNGs and two JPEGs of smooth gradients (large in pixels, small in bytes)."""
    from PIL import Image

    def picture(size):
        gradient = Image.linear_gradient("L")
        return Image.merge(
            "RGB",
            (
                gradient.resize(size),
                gradient.rotate(90).resize(size),
                gradient.rotate(45).resize(size),
            ),
        )

    out = []
    for fmt, size in (("PNG", PNG_SIZE), ("JPEG", JPEG_SIZE)):
        buf = io.BytesIO()
        picture(size).save(buf, fmt, **({"quality": 90} if fmt == "JPEG" else {"compress_level": 1}))
        out += [(f"large.{fmt.lower()}", buf.getvalue())] * 2
    return out


def _request(base: str, method: str, path: str, token: str, body: bytes = b"", content_type: str = ""):
    req = urllib.request.Request(base + path, data=body or None, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _one_round(base: str, token: str, listing: int, files, statuses: dict[int, int]) -> None:
    """Every file uploaded at the same moment (one thread each), then the photos deleted again."""
    created: list[int] = []
    gate = threading.Barrier(len(files))

    def upload(name: str, data: bytes):
        body, content_type = _multipart(name, data)
        gate.wait()
        status, answer = _request(
            base, "POST", f"/api/v1/listings/{listing}/photos", token, body, content_type
        )
        statuses[status] = statuses.get(status, 0) + 1
        if status == 201:
            created.append(json.loads(answer)["id"])

    threads = [threading.Thread(target=upload, args=f) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for photo_id in created:
        _request(base, "DELETE", f"/api/v1/listings/{listing}/photos/{photo_id}", token)


def run(rounds: int = 3, echo=print) -> dict:
    """Returns ``{"worker_peak_mb", "uploads", "statuses", "seconds"}``."""
    files = images()
    if echo:
        echo("images: " + ", ".join(f"{name} {len(data) / 1e6:.1f} MB" for name, data in files))
    statuses: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as tmp:
        db_path, info = str(Path(tmp) / "bench.db"), str(Path(tmp) / "setup.json")
        env = env_for(db_path, tmp)
        subprocess.run([PYTHON, "-m", "bench.uploads", "setup", db_path, info], cwd=ROOT, env=env, check=True)
        setup_info = json.loads(Path(info).read_text())
        token, listing = setup_info["token"], setup_info["listing"]
        options = ("--worker-class", "gthread", "--threads", "4", "--timeout", "120")
        started = time.perf_counter()
        with serve("wsgi:app", env, workers=1, options=options) as base:
            for _round in range(rounds):
                _one_round(base, token, listing, files, statuses)
            peak = worker_peak_mb(base)
        seconds = time.perf_counter() - started
    result = {
        "worker_peak_mb": peak,
        "uploads": rounds * len(files),
        "statuses": statuses,
        "seconds": seconds,
    }
    if echo:
        shown = "n/a" if peak is None else f"{peak:.0f} MB"
        echo(
            f"four concurrent uploads x {rounds} rounds: worker peak {shown} (aim < {MEMORY_AIM_MB} MB), "
            f"statuses {statuses}, {seconds:.1f} s"
        )
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    out = run(args.rounds)
    peak = out["worker_peak_mb"]
    return 0 if out["statuses"] == {201: out["uploads"]} and (peak is None or peak < MEMORY_AIM_MB) else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
