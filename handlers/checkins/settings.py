"""Check-in settings: /checkin off and on for a person; the wellbeing contact and the
timing for a group (facilitators)."""

from __future__ import annotations

from datetime import timedelta

from handlers.checkins.wording import TURN_OFF
from handlers.core.commands import Context, Handler, Refusal
from handlers.core.messages import message
from handlers.core.parsing import describe_duration, parse_duration

MAX_WELLBEING = 300
LONGEST_SETTING = timedelta(days=1)
SHORTEST_SETTING = timedelta(minutes=10)


async def turn_off(ctx: Context, args: str) -> None:
    """Stop check-ins for you, in every group."""
    await ctx.uow.checkins.opt_out(ctx.person.id)
    ctx.reply(
        message(
            "Done. I won't send you check-ins, in any group.",
            "/checkin help and /checkin pause still work. To have check-ins again, "
            "say /checkin on.",
        )
    )


async def turn_on(ctx: Context, args: str) -> None:
    """Have check-ins again."""
    await ctx.uow.checkins.opt_in(ctx.person.id)
    ctx.reply(message("Done. I'll check in with you before and after meetings again.", TURN_OFF))


async def wellbeing(ctx: Context, args: str) -> None:
    """Facilitators: name the group's wellbeing contact, or clear it."""
    text = " ".join(args.split())
    settings = await ctx.uow.checkins.saved_settings(ctx.the_group().id)
    if not text:
        raise Refusal(
            "Please give a name and how to reach them. Nothing was changed.",
            "For example: /checkin wellbeing Sam Reid, peer support, 07700 900123. "
            f"Now: {settings.wellbeing or 'none named'}.",
        )
    if len(text) > MAX_WELLBEING:
        raise Refusal(f"Please keep it under {MAX_WELLBEING} characters. Nothing was changed.")
    if text.lower() in ("clear", "off", "none"):
        settings.wellbeing = None
        ctx.audit("cleared the group's wellbeing contact")
        ctx.post(message(f"{ctx.person.display_name} cleared the group's wellbeing contact."))
        return
    settings.wellbeing = text
    ctx.audit("named a new wellbeing contact")
    ctx.post(
        message(
            f"{ctx.person.display_name} named the group's wellbeing contact: {text}.",
            "They're someone to talk to outside the meeting. Anyone can ask me privately who it "
            "is with /checkin help.",
        )
    )
    ctx.reply(
        message(
            "It helps if the wellbeing contact is not someone at the meeting for their job. "
            "Then people can talk freely."
        )
    )


def _timing(attribute: str, words: str) -> Handler:
    async def run(ctx: Context, args: str) -> None:
        settings = await ctx.uow.checkins.saved_settings(ctx.the_group().id)
        if args.strip().lower() in ("off", "none"):
            setattr(settings, attribute, None)
            ctx.audit(f"turned off the check-in {words}")
            ctx.post(message(f"{ctx.person.display_name} turned off the check-in {words}."))
            return
        delta = parse_duration(args)
        if delta is None or not SHORTEST_SETTING <= delta <= LONGEST_SETTING:
            raise Refusal(
                "Please give a time between 10 minutes and 1 day, like 1h, or say off. "
                "Nothing was changed.",
            )
        setattr(settings, attribute, int(delta.total_seconds() // 60))
        ctx.audit(f"set the check-in to go out {describe_duration(delta)} {words}")
        ctx.post(
            message(
                f"{ctx.person.display_name} set the check-in to go out {describe_duration(delta)} "
                f"{words}."
            )
        )

    return run


before_setting = _timing("before_minutes", "before meetings start")
after_setting = _timing("after_minutes", "after meetings end")
