"""The Matrix platform (matrix-nio, end-to-end encrypted rooms too); needs `alongside[matrix]`.

service.py runs it; platform.py holds its parts: connection.py (the client,
login.py, calls.py for retried requests), sync.py (the sync loop), events.py
(what happens in rooms), choices.py (numbered options), dms.py (direct rooms),
sending.py and outbox.py (what the bot says), render.py (HTML and plain body)
and store.py (what it keeps in the bot's database).
"""
