"""`alongside demo`: a scripted story of a meeting cycle on the console, with a virtual clock."""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

SCRIPT = """
# Monday 30 November 2026, 09:00. Alice facilitates a steering group on crisis care.
# She makes the group's channel a co-production group and writes down its aims.
alice: /group setup Steering group
alice: /group aims Improve crisis care together
# Bob, Carol and Dan join by saying hello in the channel.
bob: Hello everyone
carol: Hi, glad to be here
dan: Hello from Dan
# Bob tries a facilitator-only command. He is told kindly, and nothing changes.
bob: /group facilitator add @carol
# Alice makes Carol a co-facilitator.
alice: /group facilitator add @carol
alice: /group
# What is still to do before the group is ready? Alice writes the ground rules and the payment
# offer, in the group's own words, and looks again.
bob: /group ready
alice: /group rules We listen. We take turns. Anyone can pass.
alice: /group payment Co-chairs: staff £50 a meeting, lived experience £25 a meeting
# One role is paid differently by perspective. The bot tells the facilitators privately,
# because equal roles deserve equal pay. Alice writes the offer again.
alice: /group payment £25 per meeting for members with lived experience, travel paid
alice: /group ready
# Anyone can ask for help. A typo gets a suggestion.
bob: /help
bob: /grup
# Bob sets quiet hours and pronouns, privately. Carol would rather see reminders in the channel.
# Bob writes down what he needs to take part. Only the facilitators will see it, with each pack.
bob@dm: /prefs quiet 21:00-08:00
bob@dm: /prefs pronouns he/him
bob@dm: /prefs access Papers in large print, please
# Bob and Dan say they have lived experience. It is optional, and only ever counted.
bob@dm: /prefs perspective lived experience
dan@dm: /prefs perspective lived experience
# Dan would rather get news that can wait in one message a day, at 18:00.
dan@dm: /prefs digest daily at 18:00
carol@dm: /prefs reminders channel
# Alice plans a meeting for Saturday, in plain words. Bob asks to add an item; he owns it.
alice: /meeting new Steering group meeting 2026-12-05 14:00 for 2h at Room 4, Town Hall
alice: /agenda add Welcome and check-in minutes 15
bob: /agenda add Crisis line waiting times minutes 40 lead @bob note mentions self-harm
bob: /agenda
# Roles go round, so chairing and minute taking are shared. Nobody has to take one.
# Bob would chair or take the minutes; Carol would take the minutes.
bob: /roles willing chair minutes
carol: /roles willing minutes
# Bob tries /rotate. Only facilitators give out roles, and he is told so kindly.
bob: /rotate
# Alice gives out Saturday's roles. The bot says why it picked each person.
alice: /rotate
# Bob asks Carol to swap. She says yes with a number, and the group is told.
bob@dm: /roles swap @carol
carol@dm: 1
bob: /roles
# Bob has something he'd rather not say in front of everyone. In the channel, the bot won't keep it.
# Privately, it warns him gently that the group is small, and he sends it anyway.
bob: /concern The papers came too late to read
bob@dm: /concern The papers came too late to read
bob@dm: 1
# Carol has a concern about the chair, and says it is only for the facilitators. The receipt
# tells her plainly who will see it.
carol@dm: /concern to facilitators: the chair talked over me last time
carol@dm: 1
# Bob looks at his own page: his next meeting, its agenda, his role, his preferences.
bob@dm: /home
# The day before the pack, Alice's page says how many concerns are ready to review: a count,
# never who wrote them.
:now 2026-12-01T15:00
alice@dm: /home
# Time passes. Three days before the meeting, everyone gets the same pack, the way they asked.
# Concerns are shared at the same time, without names, in a random order.
:now 2026-12-02T13:59
:advance 2m
# Alice responds. The response goes to the group, and Bob can see it with his receipt code.
alice@dm: /concern respond 1 From now on papers will go out a week before each meeting.
# Alice names someone outside the meeting that people can talk to, if they need to.
alice: /group wellbeing Sam Reid, peer support worker, 07700 900123
# Carol writes to the bot in her own words that she is struggling. She gets a crisis line and
# the wellbeing contact at once, and nobody else is told. She asks for someone to get in touch,
# and the facilitators hear only that she asked.
carol@dm: I'm really struggling this week
carol@dm: /support tell
# Late at night Carol asks Bob to swap back. Bob is in his quiet hours, so the request waits
# until 08:00. He says no, and that's fine.
:now 2026-12-03T22:30
carol@dm: /roles swap @bob
:now 2026-12-04T08:01
bob@dm: 2
# The day before, a reminder. Anyone can say whether they're coming; nobody is chased.
# Bob will be there. Dan can't make it this time, and just says so in his own words.
:now 2026-12-04T14:01
bob@dm: 1
dan@dm: sorry, I can't come on Saturday
# Two hours before, the facilitators see how many are coming, and Dan's apologies.
# Bob answers the icebreaker from his pack ahead of time. It is held until the meeting.
bob@dm: /icebreaker answer 1 Hard to pick just one! I'll say more on the day
# The day before, and an hour before, a gentle reminder. The hour-before one also asks,
# in the same message, how people are arriving. Bob is amber and says what would help;
# Carol is having a hard day, and is told privately who she can talk to. Facilitators see
# a summary, no names.
:now 2026-12-05T13:01
bob@dm: 2
bob@dm: /checkin need 1 A seat near the door, please
carol@dm: /checkin
carol@dm: 3
# At 14:00 the meeting starts. Live meeting mode posts today's agenda and what comes first.
# The icebreaker goes up with Bob's early answer. Alice answers, Carol passes, and
# everyone's answers are shown together.
:now 2026-12-05T14:05
alice@dm: /icebreaker answer 1 A good storm, with a cup of tea
carol@dm: /icebreaker pass 1
# Carol chairs. Five minutes before the first item's time is up, she hears privately.
# At 14:15 the next item is called, with its content note first, gently.
:now 2026-12-05T14:16
# Bob needs a pause. The chair hears privately, without his name.
bob@dm: /pause
bob@dm: 1
# Carol gives the item 10 more minutes: everything after it moves. Bob tries /next, but
# moving on is for the chair. The break comes at its new time, between items.
carol: /more 10m
bob: /next
:now 2026-12-05T15:20
# The group finishes early. After /end nothing more is called, and the thank-you comes an
# hour later, with one question: did you feel heard? Answers are anonymous.
carol: /end
# As the meeting ends, Carol, the chair, is asked once who was there, with a guess from who
# said they'd come and who held a role. Alice came too, so Carol says it her own way.
carol@dm: /contributions there everyone except @dan
# In the hour after the meeting, what people record is gathered into one post, not a post each.
:now 2026-12-05T15:30
carol: /action Send the crisis line notes to everyone by 2026-12-08
:now 2026-12-05T17:01
bob@dm: 4
carol@dm: /checkin
carol@dm: 5
alice@dm: 4
:now 2026-12-05T18:00
# Anyone can see how heard people felt, in words and as a chart (only meetings where at least
# 3 answered).
dan: /checkin trend
# At the meeting the group decided something. Bob, the minute-taker, records it: who looks
# after it, when an update is due, and that it answers concern 1. He is asked, not assumed,
# whether members with lived experience were part of making it.
bob: /decision Papers go out a week before each meeting owner @bob update in 2 weeks from concern 1
bob@dm: 1
# Carol proposes something for everyone to answer: Agree, Abstain, Disagree or Block.
# Dan blocks it and says why. When it closes, everyone sees the outcome and the reasons,
# and Carol makes it a decision in one step.
carol: /propose Meetings in January are 90 minutes, with two breaks closes in 2 days
bob: /proposal answer 1 agree
alice: /proposal answer 1 abstain
dan: /proposal answer 1 block Some of us travel an hour each way; 90 minutes isn't worth it
carol: /proposal 1
# Alice asks something people may find hard to say in front of others. The answers are
# anonymous: they are given privately and stored without names.
alice: /propose We ask the trust to pay for members' travel anonymous closes in 1 day
bob@dm: /proposal privately 2 agree
dan@dm: /proposal privately 2 agree It would help me come more often
:now 2026-12-07T18:01
carol: /proposal decide 1
# Bob spent two hours reading the papers, and paid for the bus. He writes both down, and says
# privately he'd like vouchers. Dan would rather not be paid. Nobody's choice is assumed.
bob@dm: /contributions add 2h reading the papers
bob@dm: /expenses £4.50 bus fare
bob@dm: /contributions payment vouchers
dan@dm: /contributions payment none
# Bob sees his own record. Only he and the facilitators can see it. Alice gets the month as
# a spreadsheet file for the finance team, one row per person and meeting.
bob@dm: /contributions
alice: /contributions export this month
# Erin joins, and says she has lived experience too. Perspectives are only ever counted.
erin: Hello, I'm Erin
erin@dm: /prefs perspective expert by experience
# Alice asks everyone, privately, where the group stands on the Ladder of Co-production.
# Answers keep no names. A week later the group sees the result, because at least 3 answered.
alice: /ladder ask
bob@dm: /ladder answer 1 4
carol@dm: /ladder answer 1 5
dan@dm: /ladder answer 1 4
alice@dm: /ladder answer 1 pass
# Carol, who chaired, gives Alice an action. Alice is reminded the day before and on the day.
# Carol takes one herself, to book a room for January.
carol: /action Ask the print room for a posting date owner @alice by 2026-12-10
carol: /action Book a bigger room for January by 2026-12-14
# Two days after the meeting the minutes aren't in, so Bob gets a gentle reminder. He sends
# them, and everyone gets them the way they asked.
:now 2026-12-07T16:30
bob: /minutes Papers will go out a week before each meeting. Notes: https://example.org/5-dec
:now 2026-12-10T12:00
alice@dm: 1
# Carol's date passes without the room booked. A few days later she is asked once, kindly,
# how it is going. It is still going, and she gives a new date.
:now 2026-12-17T10:01
carol@dm: /action going 3 by 2026-12-22
# Two weeks on, Bob is asked privately for an update; three days later, once more; after a
# week the facilitators are told it is waiting. Nobody is blamed.
:now 2026-12-19T10:01
:advance 3d
:advance 4d
# Bob gives the update. Everyone hears "you said, we did", the way they asked.
bob: /update 1 done The print room now posts papers seven days before each meeting.
bob: /decision all
# On the first of the month, the channel hears what changed because of the group.
# The next pack lists the update too.
alice: /meeting new Steering group meeting 2027-01-09 14:00 for 2h at Room 4, Town Hall
# The room isn't free that day, so Alice moves the meeting a week. The channel hears, and so
# does everyone who gets their messages by direct message.
alice: /meeting move 2 2027-01-16 14:00
# Bob adds an item with an acronym. The bot asks him once, privately, what it means, and he
# adds it to the group's words. Carol's item uses a common word the bot already explains.
bob: /agenda add CMHT referral times minutes 20
bob@dm: /jargon add CMHT Community mental health team
carol: /agenda add Questions for our care coordinator minutes 15
# The pack explains the words its agenda uses.
:now 2027-01-13T14:01
# On 1 January the facilitators heard how leading was shared, only as counts, never names.
# Alice looks again.
alice: /contributions leads
# Bob adds the meetings to his calendar: one file, with the moved date and reminders.
bob: /meeting calendar
# Or he asks for a private link his calendar app follows, so a moved date reaches it by itself.
bob@dm: /meeting calendar subscribe
# Anyone can see what the facilitators have done, and when. A concern's entry never says who
# wrote it.
bob: /group log
# Bob takes away a copy of everything the bot holds about him, in a file only he gets.
bob@dm: /prefs export
# Alice sets how long the group keeps details like check-in answers.
alice: /group keep 18 months
# Erin moves on. Leaving asks first. The facilitators hear only that someone left.
erin@dm: /leave
erin@dm: 1
"""


#: Where the demo says private calendar links would be served.
DEMO_URL = "http://127.0.0.1:8080"


async def play(script: str = SCRIPT) -> None:
    """Play the script line by line, echoing each input before the bot's answer."""
    with tempfile.TemporaryDirectory() as tmp:
        clock = VirtualClock(START)
        app = await build_app(str(Path(tmp) / "demo.db"), clock, public_url=DEMO_URL)
        console = Console(app, clock, sys.stdout)
        try:
            previous = ""
            for line in script.strip().splitlines():
                starts_story = line.startswith("#") and not previous.startswith("#")
                print(("\n" if starts_story else "") + line, flush=True)
                await console.line(line)
                previous = line
        finally:
            await app.close()
