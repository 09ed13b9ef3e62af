"""Equal pay for equal roles: the payment offer, in the group's words, is read for roles
paid differently by perspective; the facilitators (only) are told, kindly and privately,
and the offer is saved anyway."""

from __future__ import annotations

import pytest

from bot.app import App
from handlers.contributions.equal_pay import CHAIR, MEMBER, MINUTES, note, unequal
from tests.readability import read
from tests.support import posted, say, sent_to, sent_to_all, texts

WARNS = (
    (
        "Co-chairs: £50 per meeting for the clinical co-chair, £25 for the lived-experience "
        "co-chair",
        CHAIR,
    ),
    ("chair £40 (staff), chair £20 (service user)", CHAIR),
    ("£50 for the clinical co-chair and £25 for the lived-experience co-chair", CHAIR),
    ("For staff: chair £40. For service users: chair £20.", CHAIR),
    ("Minute-taker £20 (peer worker); minute taker £30 (NHS)", MINUTES),
    ("£12.50 an hour for carers, £15 an hour for nurses", MEMBER),
    ("Chairs get 40 pounds if staff, 20 pounds if a service user", CHAIR),
)

DOES_NOT_WARN = (
    "£25 per meeting for members with lived experience, travel paid",
    "£25 per meeting, travel paid",
    "vouchers",
    "none offered yet",
    "Training and vouchers for everyone",
    "Chair: £40 per meeting for staff, £40.00 for service users",
    "£25 per meeting for people with lived experience; staff are paid by their employer",
    "£25 an hour for service users, £50 per meeting for staff",  # different units: not compared
    "Chair £40 for staff, minute-taker £20 for service users",  # different roles
    "£40 for the chair, £20 for members",
    "£1,000 a year for the chair",
    "£30 for the chair who is a peer worker and £30 for the chair who is a nurse",
    "€30 for staff, £30 for service users",  # different currencies
    "Travel and phone data paid back at cost. Wheelchair taxis booked for you.",
)


@pytest.mark.parametrize(("offer", "role"), WARNS)
def test_different_pay_for_one_role_by_perspective_is_found(offer: str, role: str) -> None:
    [found] = unequal(offer)
    assert found.role == role
    assert found.lived and found.professional


@pytest.mark.parametrize("offer", DOES_NOT_WARN)
def test_equal_or_incomparable_offers_are_left_alone(offer: str) -> None:
    assert unequal(offer) == []


def test_a_role_the_group_added_is_read_too() -> None:
    offer = "Timekeeper £10 (staff), timekeeper £5 (lived experience)"
    assert [u.role for u in unequal(offer)] == [MEMBER]  # a word I don't know as a role
    [found] = unequal(offer, roles=("timekeeper",))
    assert found.role == "timekeeper"


def test_the_note_quotes_the_offer_and_reads_plainly() -> None:
    text = "\n".join(
        b.text if hasattr(b, "text") else "\n".join(getattr(b, "items", ()))
        for b in note(unequal(WARNS[0][0])).blocks
    )
    assert "'£50 per meeting for the clinical co-chair'" in text
    assert "'£25 for the lived-experience co-chair'" in text
    assert "equal pay for equal roles" in text and "/group payment" in text
    assert not read(text).problems(), read(text)


async def test_facilitators_are_told_privately_and_the_offer_is_saved(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    for name in ("bob", "carol"):
        await say(app, name, "hello")
    await say(app, "alice", "/group facilitator add @carol")
    result = await say(app, "alice", f"/group payment {WARNS[0][0]}")
    assert "wrote down what the group pays for your time" in sent_to_all(result)
    assert "equal pay for equal roles" not in sent_to_all(result)
    mine, carols = sent_to(result, "alice"), sent_to(result, "carol")
    for told in (mine, carols):
        assert "It pays the chair different amounts, by perspective:" in told, texts(result)
        assert "equal pay for equal roles" in told and "/group payment" in told
    assert "alice wrote down the group's payment offer" in carols
    assert not sent_to(result, "bob")
    shown = texts(await say(app, "bob", "/group payment"))
    assert "£25 for the lived-experience co-chair" in shown


async def test_an_offer_without_a_difference_sends_no_note(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    post = posted(await say(app, "alice", f"/group payment {DOES_NOT_WARN[0]}"))
    assert "members with lived experience" in post
