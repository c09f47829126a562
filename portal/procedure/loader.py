"""Read procedure YAML into `Procedure`s, reporting every mistake as file:line:col: message."""

from __future__ import annotations

import difflib
import functools
import logging
import re
import types
import typing
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from portal.procedure.checks import Finding, Location, check_procedure, shown
from portal.procedure.fields import field_type, suggest_type, type_names, types_with_setting
from portal.procedure.model import Page, Procedure, parse_field
from portal.procedure.question import Question

log = logging.getLogger(__name__)

Position = tuple[int, int]
Found = tuple[Position, str]  # a problem, before it knows its file
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a procedure file, where a clerk can find it."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ProcedureFileError(Exception):
    """A procedure file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _refusal(filename: str, found: list[Found]) -> ProcedureFileError:
    """Return the error for `filename` with every problem found, in file order, each once."""
    return ProcedureFileError(sorted({Problem(filename, *at, message) for at, message in found}))


# --- YAML, read the way the README describes it --------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """YAML 1.2 scalars: only true/false are booleans, only plain decimals are numbers.

    So `equals: yes` stays the text 'yes', `1:30` stays text (not 90 minutes) and `010`
    stays text (not 8).
    """


_YAML_1_2 = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+"
        r"|\.(?:inf|Inf|INF))$|^\.(?:nan|NaN|NAN)$",
        "-+0123456789.",
    ),
)
_NOT_1_2 = {tag for tag, _, _ in _YAML_1_2} | {"tag:yaml.org,2002:value"}  # `=` is plain text
_StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in _NOT_1_2]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _tag, _pattern, _first in _YAML_1_2:
    _StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))

# LibYAML's parser (yaml.CSafeLoader) with the very same resolvers reads a file about six
# times faster and gives the same nodes and marks. Its error messages are LibYAML's own,
# so a file it refuses is read again by the pure-Python parser, whose words we explain.
_CSafeLoader = getattr(yaml, "CSafeLoader", None)
if _CSafeLoader is not None:

    class _FastStrictLoader(_CSafeLoader):  # type: ignore[valid-type, misc]
        """_StrictLoader's YAML 1.2 scalars, parsed by LibYAML."""

    _FastStrictLoader.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers
    _LOADERS: tuple[type, ...] = (_FastStrictLoader, _StrictLoader)
else:  # PyYAML built without LibYAML
    _LOADERS = (_StrictLoader,)


def _compose(text: str) -> Node | None:
    """Compose the YAML document in `text`; errors are the pure-Python parser's."""
    fast, *_ = _LOADERS
    if fast is not _StrictLoader:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass  # read again below, for the pure-Python parser's position and words
    return yaml.compose(text, Loader=_StrictLoader)


_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"


@dataclass
class _Positions:
    """Where each value (and each mapping key) of a document starts."""

    values: dict[Location, Position]
    keys: dict[Location, Position]
    #: where an alias (*name) is used → where its anchor's value was first read
    repeats: dict[Location, Location] = dataclass_field(default_factory=dict)

    def of_value(self, loc: Location) -> Position:
        """Return where the value at `loc` starts (or the nearest enclosing one)."""
        loc = self._written(loc)
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def of_key(self, loc: Location) -> Position:
        """Return where the key of `loc` is written (a list entry has none: its value)."""
        return self.keys.get(self._written(loc)) or self.of_value(loc)

    def _written(self, loc: Location) -> Location:
        """Return the location in the file of what `loc` holds through aliases."""
        if loc in self.values:
            return loc
        for end in range(len(loc) - 1, 0, -1):
            first = self.repeats.get(loc[:end])
            if first is not None:
                return self._written((*first, *loc[end:]))
        return loc


def _mark(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


#: The most values a document may hold once its aliases are expanded: the largest sample
#: procedure holds about 2,500, and a few lines of aliases can otherwise expand to billions.
MAX_EXPANDED_VALUES = 20_000
#: The longest procedure file read, in characters (the largest sample is about 60,000).
MAX_CHARACTERS = 400_000


class _TooLarge(Exception):
    """A document that expands beyond MAX_EXPANDED_VALUES, at the smallest such value."""

    def __init__(self, node: Node):
        super().__init__(node)
        self.node = node


class _Reader:
    """Turn a composed YAML document into plain data, noting where each part starts.

    Each node is read once: an alias (*name) shares the data of its anchor, so reading takes
    time in proportion to the file, however often aliases repeat each other.
    """

    def __init__(self) -> None:
        self.positions = _Positions({}, {})
        self.found: list[Found] = []
        self._constructor = _StrictLoader("")
        self._reading: set[int] = set()  # nodes being read: an alias inside its own anchor loops
        self._read: dict[int, tuple[Any, Location, int]] = {}  # node → data, first loc, size

    def read(self, node: Node, loc: Location = ()) -> Any:
        """Return the data of `node`, which is at `loc`."""
        return self._read_sized(node, loc)[0]

    def _read_sized(self, node: Node, loc: Location) -> tuple[Any, int]:
        """Return the data of `node` and how many values it holds with aliases expanded."""
        self.positions.values[loc] = _mark(node)
        if id(node) in self._read:
            data, first, size = self._read[id(node)]
            self.positions.repeats[loc] = first
            return data, size
        if id(node) in self._reading:
            self.found.append(
                (_mark(node), "this value contains an alias (*name) of itself; write the value out")
            )
            return None, 1
        if node.tag not in self._constructor.yaml_constructors:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.found.append((_mark(node), f"unknown YAML tag {tag!r}; remove it"))
        self._reading.add(id(node))
        try:
            if isinstance(node, MappingNode):
                data, size = self._mapping(node, loc)
            elif isinstance(node, SequenceNode):
                items = [self._read_sized(item, (*loc, i)) for i, item in enumerate(node.value)]
                data, size = [d for d, _ in items], 1 + sum(n for _, n in items)
            else:
                data, size = self._scalar(node), 1
        finally:
            self._reading.discard(id(node))
        if size > MAX_EXPANDED_VALUES:
            raise _TooLarge(node)
        self._read[id(node)] = data, loc, size
        return data, size

    def _mapping(self, node: MappingNode, loc: Location) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        size = 1
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.found.append(
                    (
                        _mark(key_node),
                        "`<<` (a YAML merge key) is not supported; write the keys out in full",
                    )
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self.found.append((_mark(key_node), "a key must be a word, like `label:`"))
                continue
            key = key_node.value  # as written: `true:` is the key 'true'
            if key in result:
                self.found.append((_mark(key_node), f"key {key!r} appears twice here; keep one"))
                continue
            self.positions.keys[(*loc, key)] = _mark(key_node)
            result[key], held = self._read_sized(value_node, (*loc, key))
            size += held
        return result, size

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _STR:  # most of a procedure: constructing a string returns its value
            return node.value
        if node.tag not in self._constructor.yaml_constructors:
            return node.value
        try:
            return self._constructor.construct_object(node)
        except (ValueError, yaml.YAMLError):
            return node.value  # like 2026-02-30: the model says what is wrong with the text


# --- YAML syntax errors, in a clerk's words -------------------------------------------------

#: (PyYAML's words, what to say instead or None, how to fix it); the first that fits is used
_YAML_ADVICE = (
    ("found character '\\t'", "found a tab", "indent with spaces, not tabs"),
    (
        "but found another document",
        "expected a single document, but found another (`---`)",
        "a procedure file holds one procedure; remove the `---`",
    ),
    ("mapping values are not allowed here", None, "put text containing ': ' in quotes"),
    ("cannot start any token", None, "put text that starts with this character in quotes"),
    ("found undefined alias", None, "put text that starts with '*' in quotes"),
    (
        "could not find expected ':'",
        None,
        "write `key: value`, or indent this line further if it continues the text above",
    ),
    (
        "but found '<scalar>'",
        None,
        "text that starts with a quotation mark must end with it; put the whole text in quotes",
    ),
    ("expected <block end>", None, "check the indentation: the keys of one mapping line up"),
    ("expected ',' or ']'", None, "put text containing ', ' or ': ' in quotes"),
    ("expected ',' or '}'", None, "put text containing ', ' or ': ' in quotes"),
    (
        "found unknown escape character",
        None,
        "a backslash in \"…\" starts an escape; put such text in '…' instead",
    ),
)

#: what PyYAML was reading → what is opened there, and how it is closed
_OPENED = {
    "while scanning a quoted scalar": ("quotation mark", "end the text with the same mark"),
    "while parsing a flow sequence": ("`[`", "end the list with `]`"),
    "while parsing a flow mapping": ("`{`", "end the mapping with `}`"),
}
#: PyYAML's words when what was opened is not closed
_NOT_CLOSED = ("unexpected end of stream", "unexpected document separator", "expected ',' or")


def _yaml_mistake(error: yaml.MarkedYAMLError) -> Found:
    """Say where a YAML syntax error starts, what it is, and how to fix the common ones."""
    start, end, problem = error.context_mark, error.problem_mark, error.problem or ""
    unclosed = any(words in problem for words in _NOT_CLOSED)
    if error.context in _OPENED and unclosed and start and end and end.line > start.line:
        opened, fix = _OPENED[error.context]
        at_end = "end of stream" in problem or "<stream end>" in problem
        before = "the end of the file" if at_end else f"line {end.line + 1}"
        message = f"this is not valid YAML: the {opened} here is not closed before {before}; {fix}"
        return _position(start), message
    said = problem
    if error.context and start:
        said += f" ({error.context} on line {start.line + 1})"
    for words, saying, fix in _YAML_ADVICE:
        if words in f"{error.context} {problem}":
            said = f"{saying or said}; {fix}"
            break
    return _position(end or start), f"this is not valid YAML: {said}"


def _position(mark: yaml.Mark | None) -> Position:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _character_mistake(error: yaml.reader.ReaderError, text: str) -> Found:
    """Say where a character YAML does not allow is."""
    before = text[: error.position]
    at = before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1
    character = f"#x{error.character:04x}"
    return at, f"this is not valid YAML: the control character {character} is not allowed here"


# --- loading ---------------------------------------------------------------------------------


def load_text(text: str, filename: str) -> Procedure:
    """Parse and validate one procedure; raise ProcedureFileError with every problem found."""
    return _load(text, filename)[0]


def _load(text: str, filename: str) -> tuple[Procedure, _Positions]:
    """Load one procedure, with where its parts are in the file."""
    if len(text) > MAX_CHARACTERS:
        message = (
            f"the file is longer than {MAX_CHARACTERS:,} characters, far more than a procedure "
            "needs; split it into several procedures"
        )
        raise _refusal(filename, [((1, 1), message)])
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as error:
        raise _refusal(filename, [_yaml_mistake(error)]) from None
    except yaml.reader.ReaderError as error:
        raise _refusal(filename, [_character_mistake(error, text)]) from None
    except RecursionError:
        message = "this is not valid YAML: lists and mappings are nested too deeply"
        raise _refusal(filename, [((1, 1), message)]) from None
    if root is None or root.tag == _NULL:
        raise _refusal(filename, [((1, 1), "the file is empty; a procedure starts with `id:`")])
    if not isinstance(root, MappingNode):
        message = "a procedure file must be a mapping of keys (id:, title:, pages: …)"
        raise _refusal(filename, [((1, 1), message)])
    reader = _Reader()
    try:
        data = reader.read(root)
    except _TooLarge as error:
        message = (
            f"with its aliases (*name) written out, this value holds more than "
            f"{MAX_EXPANDED_VALUES:,} values, far more than a procedure needs; write out only "
            "what you mean to repeat"
        )
        raise _refusal(filename, [(_mark(error.node), message)]) from None
    procedure, found = _validate(data, reader.positions)
    if reader.found or found:
        raise _refusal(filename, reader.found + found)
    assert procedure is not None
    return procedure, reader.positions


def _validate(data: dict[str, Any], positions: _Positions) -> tuple[Procedure | None, list[Found]]:
    """Validate `data` and cross-check what validated; return the procedure and the problems."""
    try:
        procedure = Procedure.model_validate(data)
    except ValidationError as error:
        errors = error.errors()
        broken = {_part(tuple(e["loc"])) for e in errors}
        found = _explain_all(errors, positions)
        salvaged = _salvage(data, broken)
        if salvaged is not None:
            found += place(check_procedure(salvaged, broken), positions)
        return None, found
    return procedure, place(check_procedure(procedure), positions)


def place(findings: list[Finding], positions: _Positions) -> list[Found]:
    """Return where in the file each finding is."""
    return [
        (positions.of_key(f.at) if f.at_key else positions.of_value(f.at), f.message)
        for f in findings
    ]


def load_file(path: Path) -> Procedure:
    """Load one procedure file."""
    return _load_file(path)[0]


def _load_file(path: Path) -> tuple[Procedure, _Positions]:
    return parse(path, path.read_bytes())


def parse(path: Path, content: bytes) -> tuple[Procedure, _Positions]:
    """Load the procedure file at `path` holding `content`, with where its parts are."""
    return _load(_read_text(path, content), str(path))


def _read_text(path: Path, content: bytes) -> str:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"the file is not UTF-8 text ({error.reason}); save it as UTF-8"
        raise ProcedureFileError([Problem(str(path), 1, 1, message)]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as Path.read_text does


# --- cross-checking a procedure that did not validate ----------------------------------------


def _part(loc: Location) -> Location:
    """Return the part a mistake at `loc` is in: a question, a key of a page, a top-level key."""
    if loc[:1] == ("pages",):
        return loc[:4] if loc[2:3] == ("fields",) else loc[:3]
    return loc[:1]


def _salvage(data: dict[str, Any], broken: set[Location]) -> Procedure | None:
    """Return the procedure made of its sound parts, with stand-ins for broken questions.

    A stand-in keeps only the id of a question: rules on it are neither checked nor called
    unknown. Nothing is validated as a whole; check_procedure is told what is broken.
    """
    pages = data.get("pages")
    if ("pages",) in broken or not isinstance(pages, list):
        return None
    salvaged = [_salvage_page(page, ("pages", p), broken) for p, page in enumerate(pages)]
    return _assemble(Procedure, _sound_keys(data, (), broken), pages=salvaged)


def _salvage_page(raw: Any, here: Location, broken: set[Location]) -> Page:
    raw = raw if isinstance(raw, dict) else {}
    raw_fields = raw.get("fields") if isinstance(raw.get("fields"), list) else []
    fields = [
        _salvage_field(field, (*here, "fields", f), broken) for f, field in enumerate(raw_fields)
    ]
    return _assemble(Page, _sound_keys(raw, here, broken), fields=fields)


def _sound_keys(raw: dict[str, Any], here: Location, broken: set[Location]) -> dict[str, Any]:
    return {key: value for key, value in raw.items() if (*here, key) not in broken}


def _salvage_field(raw: Any, here: Location, broken: set[Location]) -> Question:
    if here not in broken:
        return parse_field(raw)
    field_id = raw.get("id") if isinstance(raw, dict) else None
    return Question.model_construct(id=field_id if isinstance(field_id, str) else None)


def _assemble(model: type[M], raw: dict[str, Any], **parts: Any) -> M:
    """Build `model` from `parts` and the other keys of `raw`, each validated on its own."""
    values = dict(parts)
    for name, info in model.model_fields.items():
        key = info.alias or name
        if name not in parts and key in raw:
            values[name] = _adapter(model, name).validate_python(raw[key])
    return model.model_construct(**values)


@functools.cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    if not info.metadata:
        return TypeAdapter(info.annotation)
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)])


# --- turning pydantic's findings into sentences for a clerk -------------------------------

#: what a value must be, by pydantic's error type
_MUST_BE = {
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "finite_number": "a finite number",
    "datetime_type": "a date and time, like 2026-12-01 09:00",
    "datetime_parsing": "a date and time, like 2026-12-01 09:00",
    "datetime_from_date_parsing": "a date and time, like 2026-12-01 09:00",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "string_type": "text",
}

#: every other mistake, by pydantic's error type
_SAYS = {
    "string_pattern_mismatch": "{what} {value!r} may only use lowercase letters, digits and {sep}, "
    "starting with a letter",
    "string_too_long": "{what} {value!r} is too long; use at most {max_length} characters",
    "string_too_short": "{what} must have at least {min_length} character(s)",
    "text_empty": "{what} must be text; nothing is written after the colon",
    "missing": "{key!r} is missing here; add it",
    "too_short": "{what} needs at least one entry",
    "greater_than_equal": "{what} must be {ge} or more",
    "less_than_equal": "{what} must be {le} or less",
}


def _explain_all(errors: list[ErrorDetails], positions: _Positions) -> list[Found]:
    """Turn pydantic's findings into one sentence per mistake, each where the mistake is."""
    unions: dict[Location, list[ErrorDetails]] = {}
    plain: list[tuple[Location, ErrorDetails]] = []
    types: _Types = {}
    for error in errors:
        loc, in_union = _real_location(tuple(error["loc"]), types)
        if in_union:
            unions.setdefault(loc, []).append(error)
        else:
            plain.append((loc, error))
    missing = {loc for loc, error in plain if error["type"] == "missing"}
    typos = missing & {
        (*loc[:-1], _meant(loc, missing, types))
        for loc, error in plain
        if error["type"] == "extra_forbidden"
    }
    bad_keys = {loc[:-1] for loc, _ in plain if loc[-1:] == ("[key]",)}  # their values are moot
    found = [
        _explain(loc, error, positions, missing, types)
        for loc, error in plain
        if loc not in typos | bad_keys
    ]
    return found + [_explain_union(loc, group, positions) for loc, group in unions.items()]


def _explain(
    loc: Location,
    error: ErrorDetails,
    positions: _Positions,
    missing: set[Location],
    types: _Types,
) -> Found:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "union_tag_invalid":  # a question whose `type:` is no field type
        tag = error["input"].get("type") if isinstance(error["input"], dict) else None
        if not isinstance(tag, str):
            return positions.of_value((*loc, "type")), f"'type' must be one of {type_names()}"
        return positions.of_value((*loc, "type")), f"unknown field type {tag!r}{suggest_type(tag)}"
    if kind == "union_tag_not_found":
        if not isinstance(error["input"], dict):
            return positions.of_value(loc), f"{_what(loc)} must be {_MUST_BE['dict_type']}"
        return positions.of_value(loc), _SAYS["missing"].format(key="type")
    if kind == "extra_forbidden":
        question_type = types.get(loc[:-1])
        if question_type and types_with_setting(str(loc[-1])):
            message = f"`{loc[-1]}` does not apply to a {question_type} question; remove it"
            return positions.of_key(loc), message
        meant = _meant(loc, missing, types)
        allowed = ", ".join(_keys_at(loc[:-1], types))
        hint = f"; did you mean {meant!r}?" if meant else f"; allowed here: {allowed}"
        return positions.of_key(loc), f"unknown key {loc[-1]!r}{hint}"
    if loc[-1:] == ("[key]",):  # the key itself is wrong, not its value
        return positions.of_key(loc[:-1]), str(ctx.get("error", error["msg"]))
    if kind == "missing":
        return positions.of_value(loc[:-1]), _SAYS[kind].format(key=loc[-1])
    if kind == "value_error":
        return positions.of_value(loc), str(ctx["error"])
    if kind == "literal_error":
        return positions.of_value(loc), f"{_what(loc)} must be one of {ctx['expected']}"
    return positions.of_value(loc), _sentence(loc, error)


def _sentence(loc: Location, error: ErrorDetails) -> str:
    kind, value, what = error["type"], error.get("input"), _what(loc)
    if kind == "string_type" and isinstance(value, int | float):
        return f"{what} must be text; put it in quotes: '{shown(value)}'"
    if kind == "string_too_short" and value == "":
        return f"{what} must not be empty"
    if kind in _MUST_BE:
        return f"{what} must be {_MUST_BE[kind]}"
    if kind in _SAYS:
        # procedure and page ids are URL parts (hyphens); question ids are names (underscores)
        is_slug = loc == ("id",) or (len(loc) == 3 and loc[0] == "pages")
        sep = "hyphens" if is_slug else "underscores"
        return _SAYS[kind].format(what=what, value=value, sep=sep, **(error.get("ctx") or {}))
    return f"{what}: {error['msg']}"


def _explain_union(loc: Location, errors: list[ErrorDetails], positions: _Positions) -> Found:
    """Say in one sentence what a value that may be one of several kinds must be."""
    kinds = list(dict.fromkeys(_MUST_BE.get(error["type"], "") for error in errors))
    if "" in kinds:
        return positions.of_value(loc), _sentence(loc, errors[0])
    either = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])}, or {kinds[-1]}"
    return positions.of_value(loc), f"{_what(loc)} must be {either}"


def _what(loc: Location) -> str:
    """Name the value at `loc` as a clerk sees it: 'label', or each entry of 'fields'."""
    names = [part for part in loc if isinstance(part, str)]
    name = repr(names[-1]) if names else "the file"
    return f"each entry of {name}" if loc and isinstance(loc[-1], int) else name


def _meant(loc: Location, missing: set[Location], types: _Types) -> str | None:
    """Return the key that the unknown key at `loc` is likely a typo of; missing keys first."""
    here, typed = loc[:-1], str(loc[-1])
    wanted = sorted(str(key[-1]) for key in missing if key[:-1] == here)
    close = difflib.get_close_matches(typed, wanted, n=1) or difflib.get_close_matches(
        typed, _keys_at(here, types), n=1
    )
    return close[0] if close else None


# --- the model's shape, to read pydantic's locations ---------------------------------------


#: the field type of each question a location went through, by the question's location
_Types = dict[Location, str]


def _real_location(loc: Location, types: _Types) -> tuple[Location, bool]:
    """Drop from `loc` the names pydantic gives the members of a union.

    A question's type (`text`) is dropped and noted in `types`; the members of a union of
    plain values (str, int, bool) are dropped too. Return the location as the clerk wrote
    it, and whether a union of plain values was on the way.
    """
    annotation: Any = Procedure
    kept: list[str | int] = []
    in_union = False
    for part in loc:
        annotation = _unwrap(annotation)
        if _is_question(annotation) and isinstance(part, str) and part in type_names():
            types[tuple(kept)] = part
            annotation = field_type(part).model
            continue
        if _is_union(annotation):
            in_union, annotation = True, Any
            continue
        kept.append(part)
        annotation = _inner(annotation, part)
    return tuple(kept), in_union


def _keys_at(loc: Location, types: _Types) -> list[str]:
    """Return the keys the model allows at `loc` (for 'did you mean' hints)."""
    annotation: Any = Procedure
    for i, part in enumerate(loc):
        annotation = _unwrap(annotation)
        if _is_question(annotation):
            annotation = field_type(types[loc[:i]]).model if loc[:i] in types else Question
        annotation = _inner(annotation, part)
    annotation = _unwrap(annotation)
    if _is_question(annotation):
        annotation = field_type(types[loc]).model if loc in types else Question
    model = annotation
    if isinstance(model, type) and issubclass(model, BaseModel):
        return sorted((f.alias or name) for name, f in model.model_fields.items())
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and `| None` from `annotation`."""
    while True:
        if typing.get_origin(annotation) is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif _is_union(annotation):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation  # a real union: str | int | bool
            annotation = members[0]
        else:
            return annotation


def _is_question(annotation: Any) -> bool:
    """Tell whether `annotation` is the union of every field type's question model."""
    members = typing.get_args(annotation) if _is_union(annotation) else ()
    return bool(members) and all(isinstance(m, type) and issubclass(m, Question) for m in members)


def _is_union(annotation: Any) -> bool:
    return isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union


def _inner(annotation: Any, part: str | int) -> Any:
    """Return the annotation of the value at `part` inside a value of `annotation`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields.items()
        field = next((f for name, f in fields if (f.alias or name) == part), None)
        return field.annotation if field else Any
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return Any
