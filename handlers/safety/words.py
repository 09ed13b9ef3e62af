"""What the bot says when someone may be in distress: short, warm, and with a number to call."""

from __future__ import annotations

#: Used when a group has not written down its own crisis line. The groups this
#: bot was first built for are NHS groups in England and Scotland.
DEFAULT_CRISIS_LINE = (
    "Samaritans: call 116 123, free, any time, day or night. "
    "In Scotland, Breathing Space: call 0800 83 85 87. "
    "For urgent medical help, call NHS 111. In an emergency, call 999."
)

SORRY = "I'm sorry you're going through this. Thank you for telling me."
TALK_NOW = "You can talk to someone right now. {line}"
CONTACT = "{group}'s wellbeing contact is {contact}. You can get in touch with them yourself."
NOBODY_TOLD = (
    "I haven't told anyone about this. If you'd like someone from your group to get in "
    "touch with you, type /support tell. You don't have to."
)
SOMETHING_ELSE = "If you meant something else, type /help to see what I can do."

TOLD = (
    "Okay. I've let the facilitators of {groups} know that you'd like someone to get in "
    "touch. I didn't tell them why, and I didn't pass on anything you wrote."
)
NOBODY_TO_TELL = (
    "Your group has no facilitator I can tell yet, so I haven't told anyone. "
    "Please use the numbers above, or talk to someone you trust."
)
ASKED = (
    "{name} from {group} asked for someone to get in touch with them. "
    "They didn't say why, and they don't need to. A short, kind direct message is enough."
)

LINE_NOW = "The crisis line I give people in {group} is: {line}"
LINE_HOW = (
    "A facilitator can change it with /support line followed by the words to show, "
    "for example: /support line Breathing Space: call 0800 83 85 87. "
    "Type /support line default to go back to the usual numbers."
)
LINE_SET = "Done. When someone needs it, I'll give them this crisis line: {line}"
LINE_RESET = "Done. I'll give people the usual numbers again: {line}"
LINE_TOO_LONG = "Please keep the crisis line under {limit} characters. Nothing was changed."

NO_CONTACT_FOR_FACILITATORS = (
    "Someone in {group} answered the check-in in a way that shows they're finding things "
    "hard, and the group has no wellbeing contact. I gave them the crisis line. "
    "Please name a wellbeing contact with /checkin wellbeing, so people know who to talk to."
)

PACK_CONTACT = (
    "Who to talk to: {contact} is this group's wellbeing contact, outside the meeting. "
    "At any time, /support gives you a crisis line too."
)
PACK_NO_CONTACT = "If things get hard, /support gives you a crisis line, at any time."
