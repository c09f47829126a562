"""Each field type's template macro (templates/components/fields/<type>.html), imported once.

`{% import %}` inside a loop costs a lookup of the template and of its module on every
question of every page; `widget(type)` returns the module Jinja keeps for the template.
"""

from __future__ import annotations

from flask import Flask
from jinja2 import Environment
from jinja2.environment import TemplateModule


def widget_module(env: Environment, field_type: str) -> TemplateModule:
    """Return the macros of `field_type`'s template (rendered without the page's context)."""
    return env.get_template(f"components/fields/{field_type}.html").module


def init_app(app: Flask) -> None:
    app.jinja_env.globals["widget"] = lambda field_type: widget_module(app.jinja_env, field_type)
