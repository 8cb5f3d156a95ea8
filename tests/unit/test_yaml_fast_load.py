"""``yaml_fast.load`` reads YAML into the values ruamel's round-trip reader reads: the same
values of the same built-in types, or None (the caller then reads the text with ruamel)."""

from __future__ import annotations

import datetime
import itertools
import math
from typing import Any

import pytest
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode

from planner.config import SHIPPED_PLAYBOOKS
from planner.domain import yaml_fast
from planner.domain.playbook import PlaybookError, _read_yaml

pytestmark = pytest.mark.skipif(yaml_fast.load("a: 1") is None, reason="libyaml is not installed")

SHIPPED = sorted(SHIPPED_PLAYBOOKS.glob("*.yaml"))

# ruamel's round-trip values are subclasses of these (CommentedMap is a dict, ScalarInt an
# int, LiteralScalarString a str, ScalarFloat a float …): load gives the plain type itself
_PLAIN_TYPES = (bool, int, float, str, datetime.datetime, datetime.date, dict, list)


def plain(value: Any) -> Any:
    """ruamel's data as plain built-in values (each of the type it subclasses)."""
    if value is None:
        return None
    for kind in _PLAIN_TYPES:
        if isinstance(value, kind):
            break
    else:
        raise AssertionError(f"unexpected type {type(value)}")
    if kind is dict:
        return {plain(k): plain(v) for k, v in value.items()}
    if kind is list:
        return [plain(item) for item in value]
    if kind is datetime.datetime:
        return datetime.datetime.fromisoformat(value.isoformat())
    if kind is datetime.date:
        return datetime.date(value.year, value.month, value.day)
    return kind(value)


def assert_same(fast: Any, slow: Any, path: str = "$") -> None:
    """Equal values of exactly the same types, keys in the same order (nan equals nan); of
    models, the same fields set, in the same order."""
    assert type(fast) is type(slow), (path, fast, slow)
    if isinstance(slow, BaseModel):
        assert isinstance(fast, BaseModel)
        assert fast.model_fields_set == slow.model_fields_set, path
        assert list(fast.__dict__) == list(slow.__dict__), path
        for name, value in slow.__dict__.items():
            assert_same(fast.__dict__[name], value, f"{path}.{name}")
    elif isinstance(slow, dict):
        assert list(fast) == list(slow), path
        for (fast_key, fast_value), (slow_key, slow_value) in zip(
            fast.items(), slow.items(), strict=True
        ):
            assert_same(fast_key, slow_key, f"{path}<key {slow_key!r}>")
            assert_same(fast_value, slow_value, f"{path}[{slow_key!r}]")
    elif isinstance(slow, list):
        assert len(fast) == len(slow), path
        for index, (fast_item, slow_item) in enumerate(zip(fast, slow, strict=True)):
            assert_same(fast_item, slow_item, f"{path}[{index}]")
    elif isinstance(slow, float) and math.isnan(slow):
        assert math.isnan(fast), path
    else:
        assert fast == slow, (path, fast, slow)


def slow_read(text: str, fast: bool) -> Any:
    """ruamel's data as plain values: by ruamel alone (fast=False) or by libyaml's nodes
    rebuilt for ruamel's constructor (fast=True, the way refusals are worded)."""
    return plain(_read_yaml(text, "x.yaml", fast=fast))


# ------------------------------------------------------------------------------ scalars
_RT = YAML(typ="rt")


def ruamel_scalar(text: str) -> tuple[str, Any]:
    """How ruamel resolves and constructs a plain scalar: (tag, value) or ("raises", type)."""
    tag = str(_RT.resolver.resolve(ScalarNode, text, (True, False)))
    if tag.rsplit(":", 1)[-1] in ("merge", "value"):
        return tag, None  # keys with a meaning of their own, not values
    node = ScalarNode(tag, text)
    try:
        return tag, plain(_RT.constructor.construct_object(node))
    except Exception as exc:  # noqa: BLE001 - what ruamel does with it, whatever it is
        return "raises", type(exc)
    finally:
        _RT.constructor.constructed_objects.clear()


def fast_scalar(text: str) -> tuple[str, Any]:
    """``yaml_fast``'s reading of a plain scalar: ("value", value), ("defers", None), or
    ("raises", type), which load turns into None."""
    try:
        return "value", yaml_fast._plain_scalar(text)
    except yaml_fast._Unsure:
        return "defers", None
    except (ValueError, IndexError, OverflowError) as exc:
        return "raises", type(exc)


NAMED = [
    # booleans: YAML 1.2 has only true and false
    *"true True TRUE false False FALSE tRUE yes no Yes NO on off y n Y N".split(),
    # nulls
    *"~ null Null NULL nULL none None".split(),
    "",
    # ints in every base, signs, underscores, leading zeros (YAML 1.2: 010 is ten)
    *"0 -0 +0 7 -7 +7 010 0010 -010 09 0_9 1_000 1__0 _1 1_ +1_0 -_1 -_ +_ _".split(),
    *"0o17 0o0 -0o17 +0o7 0o_1 0o1_ 0o 0o8 017 0o".split(),
    *"0x1F 0x1f 0xaF 0xFa -0x1F 0x_1 0x1_ 0x 0xG 0X1F".split(),
    *"0b101 -0b101 0b_1 0b1_ 0b 0b2 0B1".split(),
    "9" * 30,  # bigger than any machine integer
    # floats, incl. exponents, infinity and not-a-number
    *"1.5 -1.5 +1.5 .5 -.5 +.5 5. 5.e3 1e3 1E3 1e+3 1e-3 1.5e3 1.5E-3 .5e+3 .5e3 1_0.5".split(),
    *"1.5_ ._5 ._ 0.0 -0.0 00.1 1e999 -1e999 1.e".split(),
    *".inf .Inf .INF -.inf +.inf -.Inf .iNf .nan .NaN .NAN -.nan +.nan .Nan".split(),
    # times of day and sexagesimals (YAML 1.1 only: text in 1.2)
    *"12:30 1:20:30 -1:30 190:20:30.15".split(),
    # timestamps: dates, date-times without a zone, with a T or a zone (ruamel's TimeStamp)
    "2024-06-03",
    "2024-6-3",
    "2024-13-45",
    "2024-02-30",
    "2024-06-03 10:00:00",
    "2024-06-03  10:00:00.5",
    "2024-06-03 1:00:00",
    "2024-06-03T10:00:00",
    "2024-06-03t10:00:00.123456789",
    "2024-06-03 10:00:00Z",
    "2024-06-03 10:00:00 +02:00",
    "2024-06-03 10:00:00-5",
    # ruamel's merge key and value indicator
    "<<",
    "=",
    # text that looks like something else
    *"truely nulls 1.2.3 1-2 1e 0x 1,000 v1 .5.5 -- +- 1e3.5 12:60 2024-06".split(),
]

# every short string of characters that numbers, dates and their signs are made of
GENERATED = [
    "".join(chars)
    for size in range(1, 5)
    for chars in itertools.product("019_.+-eEboxAf:", repeat=size)
]


def test_the_generated_scalars_are_many() -> None:
    assert len(GENERATED) > 50_000


@pytest.mark.parametrize("chunk", range(8))
def test_plain_scalars_are_ruamels(chunk: int) -> None:
    texts = (NAMED + GENERATED)[chunk::8]
    for text in texts:
        fast_how, fast_value = fast_scalar(text)
        slow_tag, slow_value = ruamel_scalar(text)
        if fast_how == "value":
            assert slow_tag != "raises", (text, fast_value, slow_value)
            assert_same(fast_value, slow_value, repr(text))
        elif fast_how == "raises":
            assert slow_tag == "raises", (text, slow_value)
        else:  # left to ruamel: date-times it keeps as its TimeStamp, merge and value keys,
            # and timestamps it cannot construct
            assert slow_tag in {
                "raises",
                "tag:yaml.org,2002:timestamp",
                "tag:yaml.org,2002:merge",
                "tag:yaml.org,2002:value",
            }, (text, slow_tag)


def test_the_tricky_scalars_are_read_not_deferred() -> None:
    values = {text: fast_scalar(text) for text in NAMED}
    assert values["no"] == ("value", "no")
    assert values["010"] == ("value", 10)
    assert values["0o17"] == ("value", 15)
    assert values["0x1F"] == ("value", 31)
    assert values["0b101"] == ("value", 5)
    assert values["1_000"] == ("value", 1000)
    assert values["True"] == ("value", True)
    assert values["~"] == values[""] == values["Null"] == ("value", None)
    assert values["-.inf"] == ("value", -math.inf)
    assert math.isnan(values[".nan"][1])
    assert values["12:30"] == ("value", "12:30")
    assert values["2024-06-03"] == ("value", datetime.date(2024, 6, 3))
    assert values["2024-06-03 10:00:00"] == ("value", datetime.datetime(2024, 6, 3, 10))
    assert values["2024-06-03T10:00:00"] == ("defers", None)
    assert values["<<"] == values["="] == ("defers", None)
    deferred = sorted(text for text, (how, _value) in values.items() if how == "defers")
    assert len(deferred) <= 10, deferred


# ------------------------------------------------------------------------------ documents
TRICKY = """\
id: tricky
words: [no, yes, on, off, y, n, "no", 'yes', "010", '1.5', "true", "~", "", '']
numbers: [010, 0o10, 0x1F, 0b11, 1_000, -3, +4, 1.5, .5, 1e3, .inf, -.Inf, .nan, 12:30]
nothing: [~, null, Null, "", ]
empty:
truth: [true, False, TRUE]
when: [2024-06-03, 2024-06-03 10:00:00, "2024-06-03"]
keys:
  0: zero
  010: ten
  1.5: one and a half
  "2": two as text
  true: yes
  ~: nothing
  2024-06-03: a date
plain multi-line: first
  second

  third
text: |
  two
  lines
kept: |+
  kept

stripped: |-
  stripped
folded: >-
  one
  line

  next paragraph
indented: |2
    two more spaces
quoted: "a \\"quoted\\" \\u00e9 \\x41 line\\
  continued"
single: 'it''s'
nested:
  - {a: 1, b: [x, y], c: {d: [], e: {}}}
  - key: value   # a comment
  - - deep
    - [1, [2, [3]]]
unicode: 小 — ✓
prose: R&D, Q & A, 5 * 3 = 15, *not an alias*
"""


@pytest.mark.parametrize(
    "text",
    [
        TRICKY,
        "%YAML 1.2\n---\na: [010, no]\n",
        *(p.read_text("utf-8") for p in SHIPPED),
    ],
)
def test_documents_are_read_as_ruamel_reads_them(text: str) -> None:
    fast = yaml_fast.load(text)
    assert fast is not None
    assert_same(fast, slow_read(text, fast=False))  # ruamel alone
    assert_same(fast, slow_read(text, fast=True))  # libyaml's nodes, ruamel's constructor


def test_the_shipped_playbooks_are_read() -> None:
    assert len(SHIPPED) >= 3
    for path in SHIPPED:
        data = yaml_fast.load(path.read_text("utf-8"))
        assert isinstance(data, dict)
        assert isinstance(data["phases"], list)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a duplicate key
        "1: a\n1.0: b\n",  # keys equal as numbers
        "1: a\ntrue: b\n",  # True == 1
        ".nan: a\n.NaN: b\n",  # ruamel's one nan object
        "a: &x 1\nb: *x\n",  # an alias to a scalar
        "a: &x [1]\nb: *x\n",  # an alias to a list
        "&x a: 1\nb: *x\n",  # an alias of a key
        "a: &x [*x]\n",  # an alias inside its own anchor: a cycle
        "a: *x\n",  # an alias to no anchor
        "a: !custom 1\n",  # a custom tag
        "a: !!str 1\n",  # a standard tag written out
        "a: !<?> 1\n",  # a verbatim tag spelled like nothing
        "a: !!map {}\n",
        "a: !!omap [{b: 1}]\n",
        "b: {<<: {c: 1}}\n",  # ruamel's merge key
        "a: =\n",  # ruamel's value indicator
        "? [a, b]\n: c\n",  # a list as a key
        "? {a: b}\n: c\n",  # a mapping as a key
        "a: 2024-06-03T10:00:00\n",  # ruamel's TimeStamp
        "a: 2024-13-45\n",  # not a date: ruamel fails on it
        "a: 0b_\n",  # ruamel fails on it
        "a: [1, 2\n",  # not YAML
        "a: 1\n---\nb: 2\n",  # two documents
        "",  # no document
        "# only a comment\n",
        "a: b\x07c\n",  # a control character
    ],
)
def test_what_load_leaves_to_ruamel(text: str) -> None:
    assert yaml_fast.load(text) is None


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("- a\n- 1\n", ["a", 1]),  # not a mapping: the caller refuses it
        ("just text\n", "just text"),
        ("a: &x 1\nb: 2\n", {"a": 1, "b": 2}),  # an anchor no alias uses: plain data
        ("a: 'x' # comment\n", {"a": "x"}),
    ],
)
def test_other_documents_are_plain_data(text: str, data: Any) -> None:
    assert_same(yaml_fast.load(text), data)
    try:
        assert_same(yaml_fast.load(text), slow_read(text, fast=False))
    except PlaybookError:  # a playbook is a mapping: _read_yaml refuses the others
        assert not isinstance(data, dict)
