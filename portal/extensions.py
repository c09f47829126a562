"""Extensions, created unbound and bound to the app in create_app()."""

from __future__ import annotations

from flask_babel import Babel
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect

from portal.db import Database

db = Database()
babel = Babel()
csrf = CSRFProtect()
compress = Compress()
