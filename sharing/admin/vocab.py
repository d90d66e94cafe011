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
    # the other features' centre actions, and the operator commands
    "listing.active": _l("장터 물품 다시 열기"),
    "listing.paused": _l("장터 물품 일시 중지"),
    "listing.closed": _l("장터 물품 마감"),
    "listing.edit": _l("장터 물품 수정"),
    "listing.delete": _l("장터 물품 삭제"),
    "post.create": _l("마을소식 글 작성"),
    "post.edit": _l("마을소식 글 수정"),
    "post.delete": _l("마을소식 글 삭제"),
    "post.pin": _l("마을소식 글 고정"),
    "post.unpin": _l("마을소식 글 고정 해제"),
    "resource.delete": _l("지역자원 삭제"),
    "resource.archive": _l("지역자원 보관"),
    "resource.restore": _l("지역자원 보관 해제"),
    "resource.import": _l("지역자원 일괄 등록"),
    "card.payout": _l("가맹 조직 정산 지급"),
    "card.topup_confirm": _l("카드 충전 확인"),
    "card.adjust": _l("카드 잔액 조정"),
    "card.refund": _l("카드 결제 환불"),
    "plan.load": _l("계획 자료 불러오기"),
    "plan.result": _l("기본계획 실적 기록"),
    "plan.scores": _l("기본계획 평가 점수 저장"),
}

OBJECT_LABELS = {
    **TARGET_LABELS,
    "organization": _l("조직"),
    "plan": _l("기본계획"),
    "plan_result": _l("기본계획 실적"),
    "card_account": _l("카드 계정"),
    "card_payment": _l("카드 결제"),
    "card_pending_topup": _l("카드 충전 요청"),
}

# The audit log's detail keys, as the centre reads them (an unknown key is shown as it is).
DETAIL_LABELS = {
    "reason": _l("사유"),
    "note": _l("메모"),
    "report_ids": _l("신고 번호"),
    "author_id": _l("작성자 계정 번호"),
    "amount": _l("금액(원)"),
    "memo": _l("메모"),
    "discount_bp": _l("할인율(bp)"),
    "mileage_bp": _l("적립률(bp)"),
    "kind": _l("종류"),
    "year": _l("연도"),
    "scores": _l("점수"),
    "project": _l("세부사업"),
    "indicator": _l("지표"),
    "actual": _l("실적"),
    "version": _l("자료 판"),
    "changes": _l("바뀐 내용"),
    "fields": _l("바뀐 항목"),
    "title": _l("제목"),
    "name": _l("이름"),
    "created": _l("새로 등록한 수"),
    "updated": _l("수정한 수"),
    "unchanged": _l("그대로인 수"),
}
