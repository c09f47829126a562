"""Each field type's template macro (templates/components/fields/<type>.html), imported once,
and the attributes every question's control shares.

`{% import %}` inside a loop costs a lookup of the template and of its module on every
question of every page; `widget(type)` returns the module Jinja keeps for the template.
The shared attributes (aria-describedby, aria-invalid, autocomplete) are written here rather
than as macros: a page asks for them on every question, and a macro call costs ten times a
function's. templates/components/question.html exports them under the same names.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from jinja2 import Environment
from jinja2.environment import TemplateModule
from markupsafe import Markup


def widget_module(env: Environment, field_type: str) -> TemplateModule:
    """Return the macros of `field_type`'s template (rendered without the page's context)."""
    return env.get_template(f"components/fields/{field_type}.html").module


def described_by(field: Any, form_field: Any) -> str:
    """Return the ids that describe a question's control: its hint, then its error."""
    ids = []
    if field.hint:
        ids.append(f"{field.id}-hint")
    if form_field.errors:
        ids.append(f"{field.id}-error")
    return " ".join(ids)


def input_attrs(field: Any, form_field: Any) -> Markup:
    """Return ` aria-describedby="…"` and ` aria-invalid="true"` as the control needs them."""
    described = described_by(field, form_field)
    attrs = Markup(' aria-describedby="%s"') % described if described else Markup()
    return attrs + Markup(' aria-invalid="true"') if form_field.errors else attrs


def autocomplete(field: Any) -> Markup:
    """Return ` autocomplete="…"` when the question says what the browser may fill in."""
    if not field.autocomplete:
        return Markup()
    return Markup(' autocomplete="%s"') % field.autocomplete


def init_app(app: Flask) -> None:
    app.jinja_env.globals["widget"] = lambda field_type: widget_module(app.jinja_env, field_type)
    app.jinja_env.globals["question_attrs"] = {
        "describedby": described_by,
        "input_attrs": input_attrs,
        "autocomplete": autocomplete,
    }
