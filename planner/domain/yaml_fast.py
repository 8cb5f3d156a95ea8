"""Reading YAML text with libyaml (C) as ruamel.yaml reads it, for reading playbooks fast.

ruamel.yaml's pure-Python reader spends nine tenths of a playbook's parse scanning the text
(about 0.2 s a shipped playbook). PyYAML's C reader (libyaml) composes the same node tree in
a few milliseconds. Two ways to use it:

* :func:`load` builds the document's plain data (dicts, lists, str, int, float, bool, None,
  dates) straight from libyaml's nodes in one walk, resolving and constructing plain
  scalars by ruamel's own YAML 1.2 rules (so ``no`` stays text and ``010`` is ten, as
  ruamel reads them). It keeps no line numbers, and it decides nothing: whatever it is not
  sure to read exactly as ruamel does (a tag, an alias, a duplicate key, a key that is a
  list, a date with a time, text libyaml does not read …) makes it return None, and the
  caller reads the text the slow way, which words each problem with its line. An anchor
  no alias uses changes nothing: libyaml's nodes carry none (neither do :func:`compose`'s).
* :func:`compose` rebuilds libyaml's node tree as ruamel nodes with their line and column,
  so the rest is ruamel's: its constructor (with its refusal of duplicate keys), the line
  numbers of error messages, the checks on the nodes.

Comments are not kept (reading needs none: files whose comments must survive are written
with ruamel's round trip, see :mod:`planner.domain.playbook_writer`). Whatever libyaml
refuses (text that is not YAML, a control character, two documents …) is read by ruamel as
before: both return None and the caller reads the text with ruamel, which words the error.
Without PyYAML's C extension both return None.

Examples:
    >>> load("a: no\\nb: [010, 0o10, 1.5, ~, 2024-06-03]\\n'3': |\\n  x\\n")
    {'a': 'no', 'b': [10, 8, 1.5, None, datetime.date(2024, 6, 3)], '3': 'x\\n'}
    >>> load("a: 1\\na: 2\\n") is None, load("a: &x 1\\nb: *x\\n") is None  # ruamel words them
    (True, True)
    >>> node = compose("a: no\\nb: [010, 0o10, 1.5, ~]\\n")
    >>> [(k.value, getattr(v, "value", None)) for k, v in node.value][:1]
    [('a', 'no')]
    >>> [v.tag for v in node.value[1][1].value]
    ['tag:yaml.org,2002:int', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:null']
"""  # noqa: E501

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml import nodes
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import StreamMark
from ruamel.yaml.resolver import implicit_resolvers
from ruamel.yaml.tag import Tag
from ruamel.yaml.util import create_timestamp, timestamp_regexp

__all__ = ["compose", "load"]

_YAML_12 = (1, 2)
_TAG = "tag:yaml.org,2002:"


def _loader() -> Any:
    """PyYAML's C loader resolving plain scalars by ruamel's YAML 1.2 rules (None: no libyaml)."""
    try:
        import yaml
    except ImportError:
        return None
    base = getattr(yaml, "CSafeLoader", None)
    if base is None:
        return None

    class Loader(base):  # type: ignore[misc, valid-type]  # PyYAML ships no type hints here
        yaml_implicit_resolvers: dict[str, list[tuple[str, Any]]] = {}  # noqa: RUF012

    for versions, tag, regexp, first in implicit_resolvers:
        if _YAML_12 in versions:
            Loader.add_implicit_resolver(tag, regexp, first)
    return Loader


_LOADER = _loader()


# ------------------------------------------------------------------------------ plain data
# libyaml calls the loader's ``resolve`` for each node it gives no explicit tag. The marking
# loader's answers are these three objects, compared by identity: no tag written in a file
# (``!<?>``, say) can be one of them, so a node with any explicit tag is told apart.
class _Untagged:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


_PLAIN = _Untagged("plain scalar")  # resolved here, by ruamel's YAML 1.2 rules
_TEXT = _Untagged("text")  # quoted, literal or folded: text, whatever it looks like
_COLLECTION = _Untagged("collection")  # a list or mapping without a tag


def _marking_loader() -> Any:
    """PyYAML's C loader leaving each untagged node's tag to this module (None: no libyaml)."""
    if _LOADER is None:
        return None
    import yaml

    scalar_node = yaml.ScalarNode

    class Loader(yaml.CSafeLoader):  # type: ignore[misc]  # PyYAML ships no type hints here
        def resolve(self, kind: type[Any], value: str | None, implicit: Any) -> _Untagged:
            # implicit[0]: a plain scalar (libyaml's plain_implicit), the only kind ruamel
            # resolves by its value; any other untagged scalar is text
            if kind is scalar_node:
                return _PLAIN if implicit[0] else _TEXT
            return _COLLECTION

    return Loader


_MARKING_LOADER = _marking_loader()


class _Unsure(Exception):
    """Raised inside :func:`load` for what it leaves to ruamel's reader."""


def _resolvers() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    """ruamel's YAML 1.2 implicit resolvers by first character, in ruamel's order (as its
    ``VersionedResolver`` lists them)."""
    table: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if _YAML_12 in versions:
            pattern = re.compile(regexp.pattern, regexp.flags)  # ruamel's are compiled lazily
            for char in first:  # None: any first character
                table.setdefault(char, []).append((tag, pattern))
    return table


_RESOLVERS = _resolvers()
_ANY_FIRST = _RESOLVERS.get(None, [])  # resolvers for any first character (ruamel has none)
_NAN = SafeConstructor.nan_value  # one object, as ruamel's: two .nan keys are one key
_INF = SafeConstructor.inf_value
_BOOLS = {"true": True, "false": False}


def _bool(text: str) -> bool:
    return _BOOLS[text.lower()]


def _int(text: str) -> int:
    """An int as ruamel's round-trip constructor makes it (its ``ScalarInt``, ``HexInt`` …
    are ints of the same value); what it cannot read raises (ValueError, IndexError)."""
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits)  # YAML 1.2: a leading zero is decimal ("010" is ten)


def _float(text: str) -> float:
    """A float as ruamel's round-trip constructor makes it (its ``ScalarFloat`` is a float)."""
    digits = text.replace("_", "").lower()
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == ".inf":
        return sign * _INF
    if digits == ".nan":
        return _NAN
    return sign * float(digits)


def _timestamp(text: str) -> Any:
    """A date, or a date and time without a zone, as ruamel makes them; ruamel's own
    ``TimeStamp`` (a time with a ``T`` or a zone) is left to ruamel."""
    found = timestamp_regexp.match(text)
    if found is None:
        raise _Unsure
    values = found.groupdict()
    if values["hour"] and any(values[part] for part in ("t", "tz_sign", "tz_hour", "tz_minute")):
        raise _Unsure
    return create_timestamp(**values)


def _null(_text: str) -> None:
    return None


_CONSTRUCTORS: dict[str, Callable[[str], Any]] = {
    _TAG + "bool": _bool,
    _TAG + "int": _int,
    _TAG + "float": _float,
    _TAG + "null": _null,
    _TAG + "timestamp": _timestamp,
}


def _plain_scalar(text: str) -> Any:
    """A plain scalar's value by ruamel's YAML 1.2 rules: the first resolver whose pattern
    matches gives its type (ruamel's ``merge`` ``<<`` and ``value`` ``=`` are left to it)."""
    for tag, pattern in _RESOLVERS.get(text[:1], []) + _ANY_FIRST:
        if pattern.match(text):
            construct = _CONSTRUCTORS.get(tag)
            if construct is None:
                raise _Unsure
            return construct(text)
    return text


def _data(root: Any, aliases: bool) -> Any:
    """The plain data of libyaml's node tree (composed by the marking loader); raises
    :class:`_Unsure` for what is left to ruamel. ``aliases``: the text may have some (it
    has a ``*``), so each node is checked for being met twice."""
    import yaml

    scalar_node, mapping_node = yaml.ScalarNode, yaml.MappingNode
    plain: dict[str, Any] = {}  # texts repeat (keys, "FS", numbers): each resolved once
    seen: set[int] = set()

    def scalar(node: Any) -> Any:
        if aliases:
            if id(node) in seen:
                raise _Unsure  # an alias: refused, with its line, by the slow way
            seen.add(id(node))
        tag = node.tag
        if tag is _PLAIN:
            text = node.value
            try:
                return plain[text]
            except KeyError:
                value = plain[text] = _plain_scalar(text)
                return value
        if tag is _TEXT:
            # ruamel's own reader marks a folded scalar's folds with "\a" and drops them
            return node.value.replace("\a", "") if node.style == ">" else node.value
        raise _Unsure  # a tag written in the file (even !!str): ruamel checks and reads it

    def value_of(node: Any) -> Any:
        kind = type(node)
        if kind is scalar_node:
            return scalar(node)
        if aliases:
            if id(node) in seen:
                raise _Unsure
            seen.add(id(node))
        if node.tag is not _COLLECTION:
            raise _Unsure
        if kind is mapping_node:
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not scalar_node:
                    raise _Unsure  # a list or mapping as a key: ruamel's own types
                key = scalar(key_node)
                if key in mapping:
                    raise _Unsure  # a duplicate key: ruamel refuses it with its line
                mapping[key] = value_of(value_node)
            return mapping
        return [value_of(item) for item in node.value]

    return value_of(root)


def load(text: str) -> Any:
    """The document's plain data as ruamel's round-trip reader's values (dicts and lists for
    its ``CommentedMap`` and ``CommentedSeq``, ints and floats for its ``ScalarInt`` and
    ``ScalarFloat``, str for its scalar strings), or None: libyaml is not there, or the text
    has something this leaves to ruamel (see the module's description), or no document."""
    if _MARKING_LOADER is None:
        return None
    import yaml

    try:
        root = yaml.compose(text, Loader=_MARKING_LOADER)  # noqa: S506 - composing only
        if root is None:
            return None
        # an alias is written with a "*": without one, no node can be met twice
        return _data(root, aliases="*" in text)
    except (_Unsure, yaml.YAMLError, ValueError, IndexError, OverflowError, RecursionError):
        # YAML libyaml does not read, a value ruamel would refuse or fail on: ruamel's turn
        return None


# ------------------------------------------------------------------------------ ruamel nodes
def _mark(mark: Any) -> StreamMark:
    return StreamMark(mark.name, mark.index, mark.line, mark.column)


def _rebuilt(root: Any) -> nodes.Node:
    """The PyYAML node tree as ruamel nodes (an alias stays the same node object)."""
    made: dict[int, nodes.Node] = {}
    tags: dict[str, Tag] = {}  # one per tag: a tag works its text out once, then keeps it

    def tag_of(text: str) -> Tag:
        found = tags.get(text)
        if found is None:
            found = tags[text] = Tag(suffix=text)
        return found

    def node_of(node: Any) -> nodes.Node:
        found = made.get(id(node))
        if found is not None:
            return found
        start, end = _mark(node.start_mark), _mark(node.end_mark)
        kind = type(node).__name__
        new: nodes.Node
        if kind == "ScalarNode":
            new = nodes.ScalarNode(tag_of(node.tag), node.value, start, end, style=node.style)
            made[id(node)] = new
            return new
        if kind == "SequenceNode":
            new = nodes.SequenceNode(tag_of(node.tag), [], start, end, flow_style=node.flow_style)
            made[id(node)] = new
            new.value.extend(node_of(item) for item in node.value)
            return new
        new = nodes.MappingNode(tag_of(node.tag), [], start, end, flow_style=node.flow_style)
        made[id(node)] = new
        new.value.extend((node_of(key), node_of(value)) for key, value in node.value)
        return new

    return node_of(root)


def compose(text: str) -> nodes.Node | None:
    """The document's node tree (ruamel nodes), or None when libyaml is not there or did
    not read the text (the caller then reads it with ruamel, which words any error)."""
    if _LOADER is None:
        return None
    import yaml

    try:
        root = yaml.compose(text, Loader=_LOADER)  # noqa: S506 - composing only: no object is made
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    if root is None:
        return None
    return _rebuilt(root)
