"""The Slack platform (slack-bolt over HTTP or Socket Mode); needs `alongside[slack]`.

service.py runs it (settings, session, sweeper, listener); platform.py holds its
parts: listeners.py (requests into the inbox), worker.py (the inbox worked and
answered), people.py (names and members), sender.py, pacing.py and retries.py
(the Web API), render.py (Block Kit), inbox.py, http.py and manifest.py (the app
manifest, importable without the extra).
"""
