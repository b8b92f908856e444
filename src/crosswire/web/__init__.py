"""`crosswire serve`: the web app (FastAPI + Jinja2) over the same library calls as the CLI.

from crosswire.web import create_app
app = create_app()                       # compare pages and the JSON API
app = create_app("crosswire.db")         # ... on a corpus store
"""

from crosswire.web.app import LOOPBACK_HOSTS, create_app, is_loopback, serve_hosts

__all__ = ["LOOPBACK_HOSTS", "create_app", "is_loopback", "serve_hosts"]
