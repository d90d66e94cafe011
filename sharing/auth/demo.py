"""Demo accounts: a centre account and a few residents (passwords printed for the demo)."""

from .services import Registration, create_admin, find_by_email, register

CENTRE = ("centre@demo.sharing.kr", "centre-demo-1234", "마을사회적경제센터")
RESIDENTS = (
    ("minji@demo.sharing.kr", "resident-demo-1234", "김민지", "정릉3동"),
    ("junho@demo.sharing.kr", "resident-demo-1234", "이준호", "장위1동"),
    ("seoyeon@demo.sharing.kr", "resident-demo-1234", "박서연", "삼선동"),
    ("dohyun@demo.sharing.kr", "resident-demo-1234", "최도현", "길음1동"),
)


def seed(scale: int, echo) -> None:
    if find_by_email(CENTRE[0]) is None:
        create_admin(CENTRE[0], CENTRE[1], CENTRE[2])
    for email, password, name, dong in RESIDENTS:
        if find_by_email(email) is None:
            register(Registration(email, password, name, dong, privacy_consent=True, terms_consent=True))
    echo("demo accounts:")
    echo(f"  centre   {CENTRE[0]} / {CENTRE[1]}")
    for email, password, name, _dong in RESIDENTS:
        echo(f"  resident {email} / {password} ({name})")
