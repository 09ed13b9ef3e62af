"""The console platform: several people type in one terminal; time moves on command.

platform.py reads the console protocol and prints what the bot sends;
transcript.py records deliveries so a restart repeats none.
"""
