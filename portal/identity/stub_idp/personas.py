"""The stubs' fictional people: residents with My Number cards, and city staff."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PERSONAS_FILE = Path(__file__).with_name("personas.yaml")


@dataclass(frozen=True)
class Persona:
    """A fictional resident with a test My Number card."""

    id: str
    name: str
    name_kana: str
    address: str
    birthdate: str
    gender: str
    pin: str
    signature_password: str
    signature_revoked: bool = False

    def claims(self) -> dict[str, str]:
        """Return the four basic facts as OpenID Connect claims."""
        return {
            "name": self.name,
            "address": self.address,
            "birthdate": self.birthdate,
            "gender": self.gender,
        }


@cache
def load_personas(path: Path = PERSONAS_FILE) -> dict[str, Persona]:
    """Return every persona by id."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {entry["id"]: Persona(**entry) for entry in data["personas"]}


STAFF_PERSONAS_FILE = Path(__file__).with_name("staff_personas.yaml")


@dataclass(frozen=True)
class StaffPersona:
    """A fictional member of city staff in the stub staff directory."""

    id: str
    name: str
    email: str
    department: str
    #: what `portal serve --dev` makes of them in the back office
    admin: bool = False
    clerk_of: tuple[str, ...] = ()
    active: bool = True
    registered: bool = True

    def claims(self) -> dict[str, str | bool]:
        """Return what the directory says about them, by OpenID Connect claim."""
        return {"name": self.name, "email": self.email, "email_verified": True}


@cache
def load_staff_personas(path: Path = STAFF_PERSONAS_FILE) -> dict[str, StaffPersona]:
    """Return every staff persona by id (the subject the stub directory sends)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        entry["id"]: StaffPersona(**{**entry, "clerk_of": tuple(entry.get("clerk_of", ()))})
        for entry in data["staff"]
    }
