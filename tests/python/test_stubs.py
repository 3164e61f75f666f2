"""The checked-in stubs python/scalelaw/_scalelaw.pyi match the compiled module scalelaw._scalelaw.

Three checks, each failing with the recipe to bring the stubs up to date:
  - mypy's stubtest (types of properties, the Python-level FitResult methods, classes, what is missing);
  - every name of the module and of its result classes, private ones included (stubtest skips names with a leading
    underscore, and every function of _scalelaw has one), is in the stubs and the other way round;
  - each compiled function's argument names, read from pybind11's docstring signature (stubtest cannot inspect
    a pybind11 function), are the stub's.
"""
import ast
import importlib.util
import inspect
import os
import re
import shutil
import subprocess
import sys

import pytest

import scalelaw
from scalelaw import _scalelaw

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
STUB = os.path.join(SOURCE_DIR, "python", "scalelaw", "_scalelaw.pyi")
PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(scalelaw.__file__)))

REGENERATE = f"""
The stubs python/scalelaw/_scalelaw.pyi no longer match the compiled module (python/module.cpp changed?).
Regenerate and hand-correct them (the recipe is also at the top of the .pyi):
  PYTHONPATH={PACKAGE_PARENT} stubgen -m scalelaw._scalelaw -o /tmp/stubs
  diff /tmp/stubs/scalelaw/_scalelaw.pyi {STUB}
carry the new or changed entries over by hand (numpy arrays as NDArray[np.float64], dicts with key and value
types, a FitResult pointer as FitResult | None, stubgen's arg0... as positional-only), then check with
  MYPYPATH=<dir with scalelaw/__init__.pyi (empty) and scalelaw/_scalelaw.pyi> PYTHONPATH={PACKAGE_PARENT} \\
    {sys.executable} -m mypy.stubtest scalelaw._scalelaw
or rerun this test.
"""

# The result classes the module binds, read from the module itself (pybind11's classes have the metaclass
# pybind11_type; its exceptions are plain Python classes).
CLASSES = sorted(name for name, value in vars(_scalelaw).items()
                 if isinstance(value, type) and type(value).__name__ == "pybind11_type")

# pybind11 classes have the metaclass pybind11_builtins.pybind11_type, which has no stub; stubtest (mypy 1.0)
# reports that on the class itself (its members are still checked).
ALLOWLIST = "".join(f"scalelaw._scalelaw.{name}\n" for name in CLASSES)


def stub_tree():
    with open(STUB) as f:
        return ast.parse(f.read(), STUB)


def stub_names(body):
    """Names a stub body defines: functions, classes, annotated and assigned names."""
    names = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def stub_class(name):
    return next(n for n in stub_tree().body if isinstance(n, ast.ClassDef) and n.name == name)


def is_dunder(name):
    return name.startswith("__") and name.endswith("__")


def runtime_names(namespace):
    """The names a module or class defines, private ones included; of the dunders only a module's __version__."""
    names = {k for k in vars(namespace) if not is_dunder(k) and not k.startswith("_pybind11")}
    return names | ({"__version__"} if inspect.ismodule(namespace) else set())


def test_stubtest_passes(tmp_path):
    if importlib.util.find_spec("mypy") is None:
        pytest.skip(f"SKIPPED: mypy is not installed for {sys.executable} (Debian: apt-get install mypy); "
                    "the stubs of scalelaw._scalelaw are not checked")
    # The stub alone, under an empty parent package: this checks the stubs, not the typing of __init__.py. The
    # typed records the stub names (scalelaw._records, plain Python) come along.
    package = tmp_path / "scalelaw"
    package.mkdir()
    (package / "__init__.pyi").write_text("")
    shutil.copy(STUB, package / "_scalelaw.pyi")
    shutil.copy(os.path.join(os.path.dirname(STUB), "_records.py"), package / "_records.py")
    (tmp_path / "mypy.ini").write_text("[mypy]\n")
    (tmp_path / "allowlist.txt").write_text(ALLOWLIST)
    env = dict(os.environ, MYPYPATH=str(tmp_path), PYTHONPATH=PACKAGE_PARENT)
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "--mypy-config-file", str(tmp_path / "mypy.ini"), "--allowlist",
         str(tmp_path / "allowlist.txt"), "--ignore-unused-allowlist", "scalelaw._scalelaw"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"stubtest failed:\n{done.stdout}\n{done.stderr}\n{REGENERATE}"


def test_every_name_is_in_the_stubs():
    module, stub = runtime_names(_scalelaw), stub_names(stub_tree().body)
    assert module == stub, (f"in the module, not the stubs: {sorted(module - stub)}; in the stubs, not the "
                            f"module: {sorted(stub - module)}\n{REGENERATE}")
    for name in CLASSES:
        cls, stub_cls = runtime_names(getattr(_scalelaw, name)), stub_names(stub_class(name).body)
        stub_cls = {member for member in stub_cls if not is_dunder(member)}
        assert cls == stub_cls, (f"{name}: in the module, not the stubs: {sorted(cls - stub_cls)}; in the stubs, "
                                 f"not the module: {sorted(stub_cls - cls)}\n{REGENERATE}")


def split_top_level(text):
    """text split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += 1 if ch in "[(" else -1 if ch in "])" else 0
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:])
    return parts


def pybind_type(text):
    """A type as pybind11 prints it, in the stubs' spelling: Optional[X] -> X|None, Dict -> dict, numpy arrays
    -> NDArray[np.float64], no module prefix, no spaces."""
    text = text.replace("scalelaw._scalelaw.", "").replace("numpy.ndarray[numpy.float64]", "NDArray[np.float64]")
    for old, new in (("Dict[", "dict["), ("List[", "list["), ("Tuple[", "tuple[")):
        text = text.replace(old, new)
    while "Optional[" in text:
        i = text.index("Optional[")
        depth, j = 0, i + len("Optional")
        for j in range(i + len("Optional"), len(text)):
            depth += 1 if text[j] == "[" else -1 if text[j] == "]" else 0
            if depth == 0:
                break
        text = text[:i] + text[i + len("Optional["):j] + " | None" + text[j + 1:]
    return re.sub(r"\s+", "", text)


def stub_type(node):
    """A stub annotation in the same spelling; Mapping (an argument read only) counts as dict, ArrayLike (pybind11
    converts any array-like to float64, forcecast) as NDArray[np.float64]."""
    text = re.sub(r"\s+", "", ast.unparse(node)) if node is not None else "<none>"
    return text.replace("Mapping[", "dict[").replace("ArrayLike", "NDArray[np.float64]")


def compatible(pybind, stub, argument=False):
    """Whether the stub's type says what pybind11's does, or says more where pybind11 prints only dict, list or
    object (a py::dict, a py::list, a py::vectorize result); a FitResult argument (a pointer) may be None."""
    if pybind == stub or pybind == "object":
        return True
    if pybind in ("dict", "list", "tuple"):
        return stub == pybind or stub.startswith(pybind + "[")
    return argument and pybind == "FitResult" and stub == "FitResult|None"


def docstring_signature(doc):
    """[(argument, type)] (self left out) and the return type of pybind11's signature line
    'name(a: T, b: U = x) -> R'; None for an overloaded function (several signatures)."""
    doc = doc or ""
    if doc.startswith("Overloaded function"):
        return None
    match = re.match(r"\s*\w*\((.*)\)\s*->\s*(.*)$", doc.splitlines()[0])
    assert match, f"no pybind11 signature in the docstring {doc[:200]!r}"
    arguments = []
    for part in split_top_level(match.group(1)):
        name, _, annotation = part.split("=")[0].partition(":")
        arguments.append((name.strip().lstrip("*"), pybind_type(annotation)))
    if arguments and arguments[0][1] in CLASSES and arguments[0][0] in ("self", "arg0"):
        arguments = arguments[1:]  # a method's self (a lambda's first argument prints as arg0)
    return arguments, pybind_type(match.group(2))


def stub_signature(node):
    args = node.args
    every = [a for a in args.posonlyargs + args.args + args.kwonlyargs if a.arg != "self"]
    return [(a.arg, stub_type(a.annotation)) for a in every], stub_type(node.returns)


def compiled_functions():
    for name, value in vars(_scalelaw).items():
        if callable(value) and type(value).__name__ == "builtin_function_or_method" and not is_dunder(name):
            yield name, value, None
    for owner in CLASSES:
        for name, value in vars(getattr(_scalelaw, owner)).items():
            if type(value).__name__ == "instancemethod" and not is_dunder(name):
                yield name, value, owner


def test_compiled_functions_take_the_stubs_arguments():
    tree = stub_tree()
    checked = 0
    for name, function, owner in compiled_functions():
        where = f"{owner + '.' if owner else ''}{name}"
        body = tree.body if owner is None else stub_class(owner).body
        nodes = [n for n in body if isinstance(n, ast.FunctionDef) and n.name == name]
        assert nodes, f"{where} is not in the stubs\n{REGENERATE}"
        expected = docstring_signature(function.__doc__)
        if expected is None:
            continue
        (arguments, returns), (stub_arguments, stub_returns) = expected, stub_signature(nodes[0])
        assert [a for a, _ in arguments] == [a for a, _ in stub_arguments], (
            f"{where}: the module takes {[a for a, _ in arguments]}, the stub {[a for a, _ in stub_arguments]}"
            f"\n{REGENERATE}")
        for (argument, pybind), (_, stub) in zip(arguments, stub_arguments):
            assert compatible(pybind, stub, argument=True), (
                f"{where}: argument {argument} is {pybind} in the module, {stub} in the stub\n{REGENERATE}")
        assert compatible(returns, stub_returns), (
            f"{where}: returns {returns} in the module, {stub_returns} in the stub\n{REGENERATE}")
        checked += 1
    assert checked >= 10  # the module's functions and FitResult's compiled methods


def test_property_types_match():
    checked = 0
    for owner in CLASSES:
        stubs = {n.name: n for n in stub_class(owner).body if isinstance(n, ast.FunctionDef)}
        for name, value in vars(getattr(_scalelaw, owner)).items():
            if not isinstance(value, property):
                continue
            assert name in stubs, f"{owner}.{name} is not in the stubs\n{REGENERATE}"
            _, returns = docstring_signature(value.fget.__doc__)
            stub = stub_type(stubs[name].returns)
            assert compatible(returns, stub), (
                f"{owner}.{name} is {returns} in the module, {stub} in the stub\n{REGENERATE}")
            checked += 1
    assert checked >= 60
