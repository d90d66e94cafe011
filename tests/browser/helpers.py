"""What the journeys share: a real small JPEG, a sign-up through the page, reading a flash or a figure."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from tests.browser.conftest import PHONE, text_of


def small_jpeg(directory: Path, name: str = "drill.jpg", size=(640, 480)) -> Path:
    """A real JPEG made with Pillow (a drill-ish grey block on orange), written to ``directory``."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (235, 130, 40))
    draw = ImageDraw.Draw(image)
    draw.rectangle((size[0] // 4, size[1] // 3, size[0] * 3 // 4, size[1] // 2), fill=(60, 60, 60))
    draw.rectangle((size[0] // 2 - 20, size[1] // 2, size[0] // 2 + 20, size[1] * 5 // 6), fill=(30, 30, 30))
    path = directory / name
    image.save(path, "JPEG", quality=85)
    return path


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.kr"


def sign_up(page, *, email: str, password: str, name: str, dong: str) -> None:
    """Register through the sign-up page (signed in afterwards, as the page does)."""
    page.goto("/auth/register")
    form = page.locator("main form")
    form.get_by_label("이메일", exact=True).fill(email)
    form.get_by_label("비밀번호", exact=True).fill(password)
    form.get_by_label("비밀번호 확인").fill(password)
    form.get_by_label("이름(표시 이름)").fill(name)
    form.get_by_label("사는 동").select_option(dong)
    form.get_by_label("개인정보 수집·이용에 동의합니다. (필수)").check()
    form.get_by_label("이용약관에 동의합니다. (필수)").check()
    with page.expect_navigation():
        form.get_by_role("button", name="가입하기").click()
    assert f"가입을 환영합니다, {name} 님." in text_of(page), text_of(page)


def submit(page, locator) -> None:
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def confirm_and_submit(page, locator) -> None:
    """Click a ``data-confirm`` button, accept the question, wait for the next page."""
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        locator.click()


def flashes(page) -> str:
    flash = page.locator(".flashes")
    return re.sub(r"\s+", " ", flash.inner_text()) if flash.count() else ""


def won(text: str) -> int:
    """``'12,345원'`` -> 12345."""
    digits = re.sub(r"[^0-9-]", "", text)
    assert digits, f"no figure in {text!r}"
    return int(digits)


# What sticks out at a phone's width: every element whose box ends past the edge (and no scrolled
# box holds it), every text box wider than itself, and the page's own width if it scrolls sideways.
OVERFLOW_JS = """(w) => {
    const out = [];
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    const clipped = el => { for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') return p; }
        return null; };
    for (const el of document.querySelectorAll('body *')) {
        const s = getComputedStyle(el);
        if (s.display === 'none' || s.visibility === 'hidden' || s.position === 'absolute' && s.clip !== 'auto') continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.right > w + 0.5 && !clipped(el)) out.push(name(el) + ' ends at ' + Math.round(r.right) + 'px');
        const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (text && s.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
            && s.display !== 'inline' && !clipped(el))
            out.push(name(el) + ' text ' + el.scrollWidth + '>' + el.clientWidth + ': ' + el.innerText.slice(0, 30));
    }
    if (document.documentElement.scrollWidth > w) out.push('page ' + document.documentElement.scrollWidth + 'px');
    return out;
}"""


def cut_off(page, width: int = PHONE["width"]) -> list[str]:
    """What is cut off or sticks out of ``page`` at ``width`` (empty when everything fits)."""
    return page.evaluate(OVERFLOW_JS, width)
