"""What residents and the centre read for the admin codes (report reasons, targets, log actions)."""

from flask_babel import lazy_gettext as _l

REASON_LABELS = {
    "spam": _l("스팸·광고"),
    "unsafe": _l("위험하거나 불법적인 내용"),
    "wrong_info": _l("잘못된 정보"),
    "abuse": _l("욕설·비방·괴롭힘"),
    "other": _l("기타"),
}

TARGET_LABELS = {
    "listing": _l("장터 물품"),
    "message": _l("메시지"),
    "post": _l("마을소식 글"),
    "resource": _l("지역자원"),
    "user": _l("사용자 계정"),
}

STATUS_LABELS = {
    "open": _l("접수"),
    "actioned": _l("조치 완료"),
    "dismissed": _l("기각"),
}

RESOLUTION_LABELS = {
    "hide": _l("숨김"),
    "restore": _l("복원"),
    "dismiss": _l("신고 기각"),
    "suspend": _l("작성자 계정 정지"),
}

ROLE_LABELS = {
    "resident": _l("주민"),
    "centre": _l("센터 담당자"),
}

ACTION_LABELS = {
    "organization.verify": _l("조직 인증"),
    "organization.unverify": _l("조직 인증 취소"),
    "organization.card_policy": _l("카드 할인·적립 정책 변경"),
    "user.role": _l("역할 변경"),
    "user.suspend": _l("계정 정지"),
    "user.restore": _l("계정 정지 해제"),
    "report.hide": _l("신고 처리: 숨김"),
    "report.restore": _l("신고 처리: 복원"),
    "report.dismiss": _l("신고 기각"),
    "report.suspend": _l("신고 처리: 작성자 정지"),
    # written by the features' own moderation functions
    "listing.hide": _l("장터 물품 숨김"),
    "listing.unhide": _l("장터 물품 다시 공개"),
    "message.hide": _l("메시지 숨김"),
    "message.unhide": _l("메시지 다시 공개"),
    "post.hide": _l("마을소식 글 숨김"),
    "post.unhide": _l("마을소식 글 다시 공개"),
    "resource.hide": _l("지역자원 숨김"),
    "resource.unhide": _l("지역자원 다시 공개"),
}

OBJECT_LABELS = {
    **TARGET_LABELS,
    "organization": _l("조직"),
}
