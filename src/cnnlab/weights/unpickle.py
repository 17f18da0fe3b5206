"""A pickle interpreter for state dicts: it builds data and never runs anything from the file.

``pickle.Unpickler`` runs a small stack machine whose instructions may import and call
any function and set attributes on any object it holds (``BUILD``); even with the imports
restricted, a crafted file can ``BUILD`` on the objects the restriction hands out and so
change how *later* files load. This interpreter reads the same instructions
(checking that every counted string is really there before taking it) but knows only the
ones ``torch.save`` writes for a state dict (protocol 2, and the binary ones of 3 to 5):

- data: ints, floats, strings, ``None``, ``True`` / ``False``, tuples, lists, dicts;
- the memo (``PUT`` / ``GET``), kept in a dict and numbered 0, 1, 2, ... as picklers
  number it (``pickle.Unpickler`` sizes an array by the largest index it is given);
- ``GLOBAL`` + ``REDUCE``: a call of one of the few functions the caller passes in
  (fresh for each load), looked up by name; any other name is refused;
- ``BINPERSID``: a storage record, handed to the caller;
- ``BUILD`` only on a dict made by this file (torch's ``_metadata`` on an ``OrderedDict``,
  which a state dict does not need and is dropped).

Everything else (object creation, extension codes, buffers, sets, ``BUILD`` on anything
else) is refused with :class:`UnsafeCheckpointError` before it has any effect.
"""

from __future__ import annotations

import pickletools
import struct
from collections.abc import Callable, Mapping
from typing import Any

from .errors import UnsafeCheckpointError, WeightsFileError, short_repr

_INT4, _UINT4, _UINT8, _FLOAT8 = (
    struct.Struct("<i"),
    struct.Struct("<I"),
    struct.Struct("<Q"),
    struct.Struct(">d"),
)
_SMALL_TUPLES = {0x29: 0, 0x85: 1, 0x86: 2, 0x87: 3}  # EMPTY_TUPLE, TUPLE1, TUPLE2, TUPLE3
_CONSTANTS = {0x4E: None, 0x88: True, 0x89: False}  # NONE, NEWTRUE, NEWFALSE
_COUNTED = {  # opcode: (bytes of the count, its struct, whether the item is text)
    0x58: (4, _UINT4, True),  # BINUNICODE
    0x8C: (1, None, True),  # SHORT_BINUNICODE
    0x8D: (8, _UINT8, True),  # BINUNICODE8
    0x42: (4, _UINT4, False),  # BINBYTES
    0x43: (1, None, False),  # SHORT_BINBYTES
    0x8E: (8, _UINT8, False),  # BINBYTES8
}


class Global:
    """What ``GLOBAL`` pushes: one of the caller's functions, callable only by ``REDUCE``."""

    __slots__ = ("function", "name")

    def __init__(self, name: str, function: Any) -> None:
        self.name = name
        self.function = function

    def __repr__(self) -> str:
        return self.name


def unpickle(
    data: bytes,
    functions: Mapping[tuple[str, str], Any],
    persistent_load: Callable[[Any], Any],
) -> Any:
    """Interpret the pickle ``data``; ``functions`` are the only names it may call.

    Examples
    --------
    >>> import pickle
    >>> unpickle(pickle.dumps({"epoch": 3, "lr": [0.1, 0.01]}, protocol=2), {}, None)
    {'epoch': 3, 'lr': [0.1, 0.01]}
    >>> unpickle(pickle.dumps(print, protocol=2), {}, None)
    Traceback (most recent call last):
    ...
    cnnlab.weights.errors.UnsafeCheckpointError: Refusing ... calls __builtin__.print, ...
    """
    stack: list[Any] = []
    marks: list[int] = []
    memo: dict[int, Any] = {}
    own_dicts: dict[int, dict] = {}  # the dicts this file made (kept alive): BUILD targets
    size, pos = len(data), 0

    def take(count: int) -> int:  # the position after ``count`` more bytes, all present
        end = pos + count
        if end > size:
            raise WeightsFileError("its pickle is cut short.")
        return end

    def since_mark() -> list[Any]:
        if not marks:
            raise WeightsFileError("its pickle is damaged (an item list without its mark).")
        start = marks.pop()
        items = stack[start:]
        del stack[start:]
        return items

    def new_dict(value: dict) -> dict:
        own_dicts[id(value)] = value
        return value

    while pos < size:
        op = data[pos]
        pos += 1
        if op == 0x71:  # BINPUT
            end = take(1)
            _put(memo, data[pos], stack[-1])
            pos = end
        elif op == 0x68:  # BINGET
            end = take(1)
            stack.append(_get(memo, data[pos]))
            pos = end
        elif op == 0x28:  # MARK
            marks.append(len(stack))
        elif op == 0x4B:  # BININT1
            end = take(1)
            stack.append(data[pos])
            pos = end
        elif op in _COUNTED:
            width, counter, text = _COUNTED[op]
            end = take(width)
            count = data[pos] if counter is None else counter.unpack_from(data, pos)[0]
            pos, end = end, take(width + count)
            item = data[pos:end]
            stack.append(item.decode("utf-8", "surrogatepass") if text else item)
            pos = end
        elif op == 0x74:  # TUPLE
            stack.append(tuple(since_mark()))
        elif op in _SMALL_TUPLES:
            count = _SMALL_TUPLES[op]
            if len(stack) < count:
                raise WeightsFileError("its pickle is damaged (a tuple of missing items).")
            items = tuple(stack[len(stack) - count :]) if count else ()
            del stack[len(stack) - count :]
            stack.append(items)
        elif op in _CONSTANTS:
            stack.append(_CONSTANTS[op])
        elif op == 0x52:  # REDUCE
            arguments, function = stack.pop(), stack.pop()
            if not isinstance(function, Global) or type(arguments) is not tuple:
                raise UnsafeCheckpointError(f"its pickle calls {short_repr(function)}.")
            result = function.function(*arguments)
            stack.append(new_dict(result) if isinstance(result, dict) else result)
        elif op == 0x51:  # BINPERSID
            stack.append(persistent_load(stack.pop()))
        elif op == 0x72:  # LONG_BINPUT
            end = take(4)
            _put(memo, _UINT4.unpack_from(data, pos)[0], stack[-1])
            pos = end
        elif op == 0x6A:  # LONG_BINGET
            end = take(4)
            stack.append(_get(memo, _UINT4.unpack_from(data, pos)[0]))
            pos = end
        elif op == 0x94:  # MEMOIZE
            memo[len(memo)] = stack[-1]
        elif op == 0x4A:  # BININT
            end = take(4)
            stack.append(_INT4.unpack_from(data, pos)[0])
            pos = end
        elif op == 0x4D:  # BININT2
            end = take(2)
            stack.append(data[pos] | data[pos + 1] << 8)
            pos = end
        elif op in (0x8A, 0x8B):  # LONG1, LONG4
            width = 1 if op == 0x8A else 4
            end = take(width)
            count = data[pos] if width == 1 else _INT4.unpack_from(data, pos)[0]
            if count < 0:
                raise WeightsFileError("its pickle is damaged (a negative length).")
            pos, end = end, take(width + count)
            stack.append(int.from_bytes(data[pos:end], "little", signed=True))
            pos = end
        elif op == 0x47:  # BINFLOAT
            end = take(8)
            stack.append(_FLOAT8.unpack_from(data, pos)[0])
            pos = end
        elif op == 0x7D:  # EMPTY_DICT
            stack.append(new_dict({}))
        elif op == 0x64:  # DICT
            items = since_mark()
            stack.append(new_dict(dict(zip(items[::2], items[1::2], strict=True))))
        elif op == 0x5D:  # EMPTY_LIST
            stack.append([])
        elif op == 0x6C:  # LIST
            stack.append(since_mark())
        elif op in (0x61, 0x65):  # APPEND, APPENDS
            items = [stack.pop()] if op == 0x61 else since_mark()
            _target(stack, list, "APPEND").extend(items)
        elif op in (0x73, 0x75):  # SETITEM, SETITEMS
            if op == 0x73:
                items = stack[-2:]
                del stack[-2:]
            else:
                items = since_mark()
            target = _target(stack, dict, "SETITEM")
            if id(target) not in own_dicts:
                raise UnsafeCheckpointError(f"its pickle sets items of {short_repr(target)}.")
            target.update(zip(items[::2], items[1::2], strict=True))
        elif op == 0x63:  # GLOBAL: "module\nname\n"
            first = data.find(b"\n", pos)
            second = data.find(b"\n", first + 1) if first >= 0 else -1
            if second < 0:
                raise WeightsFileError("its pickle is cut short.")
            module, name = data[pos:first].decode("utf-8"), data[first + 1 : second].decode("utf-8")
            stack.append(_find(functions, module, name))
            pos = second + 1
        elif op == 0x93:  # STACK_GLOBAL
            name, module = stack.pop(), stack.pop()
            stack.append(_find(functions, module, name))
        elif op == 0x62:  # BUILD
            state = stack.pop()
            if id(stack[-1]) not in own_dicts or not isinstance(state, dict):
                raise UnsafeCheckpointError(
                    f"its pickle sets the attributes of {short_repr(stack[-1])} (BUILD), "
                    "which a state dict's pickle never does."
                )
        elif op == 0x30:  # POP
            stack.pop()
        elif op == 0x31:  # POP_MARK
            since_mark()
        elif op == 0x32:  # DUP
            stack.append(stack[-1])
        elif op == 0x80:  # PROTO
            pos = take(1)
        elif op == 0x95:  # FRAME
            pos = take(8)
        elif op == 0x2E:  # STOP
            if len(stack) != 1 or marks:
                raise WeightsFileError("its pickle is damaged (it stops in the middle).")
            return stack[0]
        else:
            known = pickletools.code2op.get(chr(op))
            raise UnsafeCheckpointError(
                f"its pickle uses the instruction {known.name if known else hex(op)}, which "
                "torch does not write for a state dict."
            )
    raise WeightsFileError("its pickle is cut short (no STOP).")


def _put(memo: dict[int, Any], index: int, value: Any) -> None:
    if index > len(memo):  # picklers number their memo entries 0, 1, 2, ...
        raise WeightsFileError(f"its pickle is damaged (memo index {index} after {len(memo)}).")
    memo[index] = value


def _get(memo: dict[int, Any], index: int) -> Any:
    if index not in memo:
        raise WeightsFileError(f"its pickle is damaged (no memo entry {index}).")
    return memo[index]


def _target(stack: list[Any], kind: type, instruction: str) -> Any:
    if not stack or not isinstance(stack[-1], kind):
        found = short_repr(stack[-1]) if stack else "nothing"
        raise UnsafeCheckpointError(f"its pickle applies {instruction} to {found}.")
    return stack[-1]


def _find(
    functions: Mapping[tuple[str, str], Callable[..., Any]], module: Any, name: Any
) -> Global:
    named = isinstance(module, str) and isinstance(name, str)
    function = functions.get((module, name)) if named else None
    if function is None:
        called = f"{module}.{name}" if named else short_repr((module, name))
        raise UnsafeCheckpointError(
            f"Refusing to load the checkpoint: its pickle calls {called[:100]}, which a state "
            "dict does not need; the file may be unsafe (a pickle can run any code). Only "
            "load it with torch if you trust where it came from."
        )
    return Global(f"{module}.{name}", function)
