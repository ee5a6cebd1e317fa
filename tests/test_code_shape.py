"""The shape of the code: no import cycle, no module over 500 lines, no reaching into another module's privates.

Issue 13, item 4. The package is read with ``ast`` (nothing is imported): every
``import`` and ``from … import`` counts, at module level and inside functions,
relative ones resolved; imports under ``if TYPE_CHECKING:`` do not, as they never
run. An import of a package's submodule is an edge to that submodule only (not
to the package's ``__init__``, which Python also runs first: a package importing
its own parts is no cycle). Each check is a plain function of a folder, so the
tests at the end can show it failing on a small package made for the purpose.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "boardpack"
MAX_LINES = 500


@dataclass(frozen=True)
class Module:
    name: str  # dotted: boardpack.pdf.flowables
    path: Path
    is_package: bool  # an __init__.py

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.is_package else self.name.rpartition(".")[0]


@dataclass(frozen=True)
class PrivateUse:
    importer: str
    module: str
    name: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer} (line {self.line}) uses {self.name} of {self.module}"


def modules_of(root: Path, package: str) -> dict[str, Module]:
    """Every module of ``package`` (a folder under ``root``), by dotted name."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = Module(".".join(parts), path, is_package)
    return found


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import that runs, wherever it is (module level, functions, classes, branches)."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
            continue
        children = list(ast.iter_child_nodes(node))
        if isinstance(node, ast.If) and _type_checking_only(node):
            children = list(node.orelse)
        stack.extend(children)
    return sorted(found, key=lambda n: n.lineno)


def _source_of(node: ast.ImportFrom, module: Module) -> str:
    """The absolute module a ``from … import`` reads from."""
    if not node.level:
        return node.module or ""
    base = module.package.split(".")
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _bound_modules(tree: ast.AST, module: Module, modules: dict[str, Module]) -> dict[str, str]:
    """Local names that stand for a module of the package: ``from . import pack_text as text``,
    ``import boardpack.summarise`` (the name ``boardpack``, read as a dotted path)."""
    bound = {}
    for node in _import_nodes(tree):
        if isinstance(node, ast.ImportFrom):
            source = _source_of(node, module)
            for alias in node.names:
                if f"{source}.{alias.name}" in modules:
                    bound[alias.asname or alias.name] = f"{source}.{alias.name}"
        else:
            for alias in node.names:
                if alias.asname and alias.name in modules:
                    bound[alias.asname] = alias.name
                elif alias.name.split(".")[0] == module.name.split(".")[0]:
                    bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
    return bound


def read(root: Path, package: str) -> tuple[dict[str, set[str]], list[PrivateUse]]:
    """The import graph of the package's modules (edges only to its own modules), and every use
    of another module's private name."""
    modules = modules_of(root, package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    private: list[PrivateUse] = []
    for name, module in modules.items():
        tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
        for node in _import_nodes(tree):
            if isinstance(node, ast.Import):
                graph[name].update(alias.name for alias in node.names if alias.name in modules)
                continue
            source = _source_of(node, module)
            for alias in node.names:
                if f"{source}.{alias.name}" in modules:  # a submodule
                    graph[name].add(f"{source}.{alias.name}")
                elif source in modules:
                    graph[name].add(source)
                    if _private(alias.name) and source != name:
                        private.append(PrivateUse(name, source, alias.name, node.lineno))
        bound = _bound_modules(tree, module, modules)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                owner = _dotted(node.value, bound, modules)
                if owner is not None and owner != name:
                    private.append(PrivateUse(name, owner, node.attr, node.lineno))
    for edges in graph.values():
        edges.discard("")
    return graph, sorted(set(private), key=lambda p: (p.importer, p.line, p.name))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _dotted(node: ast.expr, bound: dict[str, str], modules: dict[str, Module]) -> str | None:
    """The package module an expression names (``text``, ``boardpack.summarise``), else None."""
    if isinstance(node, ast.Name):
        return bound.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _dotted(node.value, bound, modules)
        if owner is not None and f"{owner}.{node.attr}" in modules:
            return f"{owner}.{node.attr}"
    return None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each group of modules that import each other (Tarjan's strongly
    connected components), as a path that ends where it starts."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # recursion depth is at most the number of modules
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_path_through(group, graph) for group in sorted(groups)]


def _path_through(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest cycle from the group's first module back to itself, inside the group."""
    start, members = group[0], set(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & members):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start] if node != start else [start, start]
                if target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle in {group}")  # Tarjan said there is one


def long_modules(root: Path, package: str, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """(module, lines) of every module longer than ``limit`` lines."""
    found = []
    for name, module in modules_of(root, package).items():
        count = len(module.path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            found.append((name, count))
    return found


# --------------------------------------------------------------------------- the checks


def test_no_import_cycle():
    graph, _ = read(ROOT, PACKAGE)
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(path) for path in found)


def test_no_module_over_500_lines():
    found = long_modules(ROOT, PACKAGE)
    assert not found, f"modules over {MAX_LINES} lines:\n" + "\n".join(f"{name}: {count}" for name, count in found)


def test_no_module_uses_another_modules_private_names():
    _, private = read(ROOT, PACKAGE)
    assert not private, "private names used from another module:\n" + "\n".join(map(str, private))


# --------------------------------------------------------------------------- the checks can fail


def _package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / "fake" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def modules_not_listed(root: Path, package: str, doc: str) -> list[str]:
    """Modules of ``package`` without their line ("- `path`:") in the architecture page's list."""
    listed = set()
    for line in doc.splitlines():
        if line.startswith("- `") and "`:" in line:
            listed.add(line[3 : line.index("`:")])
    return [
        path
        for path in (m.path.relative_to(root / package).as_posix() for m in modules_of(root, package).values())
        if path not in listed
    ]


def test_every_module_has_its_line_in_the_architecture_page():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert modules_not_listed(ROOT, PACKAGE, doc) == []


def test_a_module_missing_from_the_page_is_named(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    for name in ("__init__.py", "listed.py", "sub/__init__.py", "sub/new.py"):
        (tmp_path / "pkg" / name).write_text("")
    doc = "- `__init__.py`: the package.\n- `listed.py`: listed.\n- `sub/__init__.py`: a part.\n"
    assert modules_not_listed(tmp_path, "pkg", doc) == ["sub/new.py"]


def test_a_cycle_is_found_and_printed_whatever_the_import_looks_like(tmp_path):
    _package(
        tmp_path,
        {
            "__init__.py": "from .a import run\n",
            "a.py": "from .b import helper\n\ndef run():\n    return helper()\n",
            "b.py": "def helper():\n    from .sub import deep\n    return deep\n",  # inside a function
            "sub/__init__.py": "",
            "sub/deep.py": "import fake.a\n",  # absolute, back to the start
            "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n",
            "d.py": "from . import d\n",  # itself
        },
    )
    graph, _ = read(tmp_path, "fake")
    assert graph["fake.b"] == {"fake.sub.deep"} and graph["fake.sub.deep"] == {"fake.a"}
    assert graph["fake.c"] == set()  # never runs
    assert cycles(graph) == [["fake.a", "fake.b", "fake.sub.deep", "fake.a"], ["fake.d", "fake.d"]]


def test_a_module_is_only_too_long_past_the_limit(tmp_path):
    _package(tmp_path, {"__init__.py": "", "short.py": "x = 1\n" * 500, "long.py": "x = 1\n" * 501})
    assert long_modules(tmp_path, "fake") == [("fake.long", 501)]


def test_private_names_of_another_module_are_found_however_they_are_reached(tmp_path):
    _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "_hidden = 1\n__version__ = '1'\n\ndef _own():\n    return _hidden\n",
            "b.py": "from .a import _hidden, __version__\n",
            "c.py": "from . import a as alias\n\ndef f():\n    return alias._own()\n",
            "d.py": "import fake.a\n\nx = fake.a._hidden\n",
            "e.py": "from .a import _own as own\nimport json\n\ny = json._private_thing\n",
        },
    )
    _, private = read(tmp_path, "fake")
    assert [str(p) for p in private] == [
        "fake.b (line 1) uses _hidden of fake.a",
        "fake.c (line 4) uses _own of fake.a",
        "fake.d (line 3) uses _hidden of fake.a",
        "fake.e (line 1) uses _own of fake.a",
    ]
