"""Composing YAML text with libyaml (C) into ruamel.yaml's nodes, for reading playbooks fast.

ruamel.yaml's pure-Python reader spends nine tenths of a playbook's parse scanning the text
(about 0.2 s a shipped playbook). PyYAML's C reader (libyaml) composes the same node tree in
a few milliseconds; its scalars are resolved here with ruamel's own YAML 1.2 rules (so
``no`` stays text and ``010`` is ten, as ruamel reads them), and the nodes are rebuilt as
ruamel nodes with their line and column, so the rest is ruamel's: its constructor (with its
refusal of duplicate keys), the line numbers of error messages, the checks on the nodes.

Comments are not kept (reading needs none: files whose comments must survive are written
with ruamel's round trip, see :mod:`planner.domain.playbook_writer`). Whatever libyaml
refuses or cannot do (a ``%YAML 1.2`` directive, say) is read by ruamel as before: this
returns None and the caller composes with ruamel, which words the error.

Examples:
    >>> node = compose("a: no\\nb: [010, 0o10, 1.5, ~]\\n")
    >>> [(k.value, getattr(v, "value", None)) for k, v in node.value][:1]
    [('a', 'no')]
    >>> [v.tag for v in node.value[1][1].value]
    ['tag:yaml.org,2002:int', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:null']
"""  # noqa: E501

from __future__ import annotations

from typing import Any

from ruamel.yaml import nodes
from ruamel.yaml.error import StreamMark
from ruamel.yaml.resolver import implicit_resolvers
from ruamel.yaml.tag import Tag

__all__ = ["compose"]

_YAML_12 = (1, 2)


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
