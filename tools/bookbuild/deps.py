"""Which library files a chapter's outputs depend on, read from the code (ast), never by running it.

    lib = Library(Path("rnnkit"))
    mods = chapter_imports(code_cells, lib)     # the library modules the chapter imports itself
    lib.files(mods)                             # those, everything they import, and their data

A chapter depends on
- the modules its code cells import (`import rnnkit.x`, `from rnnkit import x`, `from rnnkit.x
  import f`; IPython's `%magic` and `!shell` lines are skipped),
- every module those import in turn, however deep: relative imports, imports inside functions and
  `importlib.import_module("rnnkit.x")` included,
- the `__init__.py` of each package above a module (Python runs it first),
- the package's data files (corpora.json, c_prelude.h): a data file belongs to the modules that name
  it in their source, or, when none does, to its package's `__init__.py`, that is, to every
  importer of the package.
A chapter also depends on any file its code names by a string that is the path of an existing file
(relative to the chapter's folder, or absolute): named_files. Nothing lists module names by hand,
so modules can move and be renamed freely. Where the code
cannot be read this way (a cell that does not parse, an import of a computed name), the chapter is
taken to depend on the whole library: a rebuild too many, never a stale page.
"""
import ast
import hashlib
import re
from pathlib import Path

_MAGIC = re.compile(r"^\s*[%!]")  # IPython line magics and shell escapes are not Python


def _module_name(root, path):
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _parents(name):
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def _imported_names(tree, package=""):
    """Dotted names a module (or a cell) imports, with `from a import b` giving both a and a.b
    (b may be a submodule or a name). None when a name is computed at run time."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package, one level up per extra dot
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            names |= {base} | {f"{base}.{alias.name}" for alias in node.names if alias.name != "*"}
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func):
            arg = node.args[0] if node.args else None
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                return None
            names.add(arg.value)
    return names


def _is_dynamic_import(func):
    return (isinstance(func, ast.Name) and func.id in ("__import__", "import_module")) or \
           (isinstance(func, ast.Attribute) and func.attr == "import_module")


class Library:
    """A package folder (e.g. rnnkit/) read statically: its modules, their imports, its data files."""

    def __init__(self, root):
        self.root = Path(root).resolve()
        self.name = self.root.name
        self.modules = {_module_name(self.root, p): p for p in sorted(self.root.rglob("*.py"))
                        if "__pycache__" not in p.parts}
        self.imports = {name: self._imports_of(name, path) for name, path in self.modules.items()}
        self.data = self._data_owners()

    def _imports_of(self, name, path):
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        try:
            found = _imported_names(ast.parse(path.read_text(encoding="utf-8")), package)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            found = set()  # it cannot run either; its own bytes are still part of the key
        return set(self.modules) if found is None else self.within(found)

    def within(self, names):
        """The library's modules among dotted names, with the packages above each."""
        mods = {n for n in names if n in self.modules}
        return mods | {p for m in mods for p in _parents(m) if p in self.modules}

    def _data_owners(self):
        """{data file: modules that load it}, by its name appearing in their source."""
        sources = {name: path.read_text(encoding="utf-8", errors="replace") for name, path in self.modules.items()}
        owners = {}
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            named = {m for m, text in sources.items() if path.name in text}
            package = _module_name(self.root, path.parent / "__init__.py")
            owners[path] = named or ({package} if package in self.modules else set(self.modules))
        return owners

    def closure(self, modules):
        """The modules given and every library module they import, directly or not."""
        seen, todo = set(), list(modules)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(self.imports.get(name, ()))
                todo.extend(p for p in _parents(name) if p in self.modules)  # run before it
        return seen

    def files(self, modules):
        """Every file whose change can change the outputs of code that imports `modules`."""
        mods = self.closure(modules)
        found = [self.modules[m] for m in mods] + [p for p, owners in self.data.items() if owners & mods]
        return sorted(set(found))

    def digest(self, modules):
        """One sha256 over the files(modules): their paths in the package and their bytes."""
        h = hashlib.sha256()
        for path in self.files(modules):
            h.update(f"{path.relative_to(self.root.parent).as_posix()}\0".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
        return h.hexdigest()


def cell_code(source):
    """A code cell's source as Python: IPython magic and shell lines blanked (line numbers kept)."""
    if source.lstrip().startswith("%%"):
        return ""  # a cell magic: its body is not Python to us
    return "\n".join("" if _MAGIC.match(line) else line for line in source.splitlines())


def chapter_imports(sources, library):
    """The library's modules that code cells (their sources) import: the chapter's own roots."""
    names = set()
    for source in sources:
        try:
            found = _imported_names(ast.parse(cell_code(source)))
        except SyntaxError:
            found = None
        if found is None:
            return set(library.modules)  # cannot tell: all of it
        names |= found
    return library.within(names)


def named_files(sources, folder):
    """{name: sha256} of every existing file a code cell names in a string constant (a path
    relative to `folder`, the chapter's, or an absolute one): data a chapter reads itself."""
    found = {}
    for source in sources:
        try:
            strings = {n.value for n in ast.walk(ast.parse(cell_code(source)))
                       if isinstance(n, ast.Constant) and isinstance(n.value, str) and 0 < len(n.value) < 256}
        except SyntaxError:
            continue
        for name in strings:
            try:
                path = Path(folder) / name
                if "\n" not in name and path.is_file():
                    found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
            except (OSError, ValueError):  # not a possible path
                continue
    return found
