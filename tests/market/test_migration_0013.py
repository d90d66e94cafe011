"""0013: rentals requested before it keep the daily price they were requested at (total / days)."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from sharing import create_app
from sharing.core.extensions import db

NOW = "2026-01-01 00:00:00"


def test_0013_records_the_agreed_daily_price_of_earlier_rentals(fresh_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        upgrade(revision="0009")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, name, dong, role, created_at) VALUES "
                    "(1, 'a@example.kr', '!', '주민', '성북동', 'resident', :now), "
                    "(2, 'b@example.kr', '!', '이웃', '성북동', 'resident', :now)"
                ),
                {"now": NOW},
            )
            conn.execute(
                text(
                    "INSERT INTO listings (id, owner_id, kind, title, description, category, dong, condition, "
                    "price_per_day, status, photo_count, rating_sum, rating_count, created_at, updated_at) "
                    "VALUES (1, 1, 'rent', '텐트', '', 'leisure', '성북동', 'good', 9000, 'active', 0, 0, 0, "
                    ":now, :now), (2, 1, 'share', '사다리', '', 'tools', '성북동', 'good', NULL, 'active', "
                    "0, 0, 0, :now, :now)"
                ),
                {"now": NOW},
            )
            for loan_id, listing, start, end, amount in (
                (1, 1, "2026-02-01", "2026-02-04", 12000),  # asked at 3,000 won a day, price now 9,000
                (2, 1, "2026-02-10", "2026-02-10", 3000),
                (3, 2, "2026-02-01", "2026-02-03", None),  # a free share: no price
            ):
                conn.execute(
                    text(
                        "INSERT INTO loans (id, listing_id, borrower_id, status, start_date, end_date, message, "
                        "amount, refunded_amount, created_at) VALUES (:id, :listing, 2, 'accepted', :start, "
                        ":end, '', :amount, 0, :now)"
                    ),
                    {
                        "id": loan_id,
                        "listing": listing,
                        "start": start,
                        "end": end,
                        "amount": amount,
                        "now": NOW,
                    },
                )
        upgrade(revision="0013")
        with db.engine.begin() as conn:
            rows = conn.execute(text("SELECT id, price_per_day, amount FROM loans ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, 3000, 12000), (2, 3000, 3000), (3, None, None)]
        downgrade(revision="0009")
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM loans")).scalar_one() == 3
        db.session.remove()
        db.engine.dispose()
