"""The stub provider's fictional test residents, read from personas.yaml."""

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
