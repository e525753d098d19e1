"""Qflow Python worker: framed JSON over stdin/stdout (see bundles/python/PROTOCOL.md).

Pure standard library (Python 3.9+), so it runs in any venv or container without installing
anything. One request at a time; modules stay loaded by code hash for the next call.
"""
import ast
import base64
import builtins
import io
import json
import os
import pickle
import struct
import sys
import time
import traceback
import types

PROTOCOL = 1
MAX_FRAME = 512 * 1024 * 1024

# The real protocol streams, taken before anything can print. fd 1 is then pointed at fd 2 so that
# C extensions and child processes writing to "stdout" cannot corrupt the frame stream.
_IN = os.fdopen(os.dup(0), "rb", buffering=0)
_OUT = os.fdopen(os.dup(1), "wb", buffering=0)
os.dup2(2, 1)
sys.stdin = io.StringIO("")


def read_frame():
    header = _read_exact(4)
    if header is None:
        return None
    (length,) = struct.unpack(">I", header)
    if length > MAX_FRAME:
        raise ValueError("frame of %d bytes exceeds the limit" % length)
    body = _read_exact(length)
    if body is None:
        return None
    return json.loads(body.decode("utf-8"))


def _read_exact(n):
    chunks = []
    while n > 0:
        chunk = _IN.read(n)
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def write_frame(message):
    body = json.dumps(message, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    _OUT.write(struct.pack(">I", len(body)) + body)


# ---------------------------------------------------------------- limits

def apply_limits(spec):
    """Applies what the backend asked for (PROTOCOL.md, "Starting a worker"); reports each limit."""
    report = {}
    if not spec:
        return report
    for folder in spec.get("cgroups") or []:
        try:
            with open(os.path.join(folder, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))
            report["cgroup:" + folder] = "joined"
        except OSError as e:
            report["cgroup:" + folder] = "NOT ENFORCED: " + str(e)
    try:
        import resource
    except ImportError as e:  # not on POSIX
        for key in ("memory", "cpuSeconds", "processes"):
            report[key] = "NOT ENFORCED: no resource module (%s)" % e
        return report

    def limit(name, which, value):
        try:
            resource.setrlimit(which, (value, value))
            report[name] = "%s %d" % (_RLIMIT_NAMES.get(which, str(which)), value)
        except (ValueError, OSError) as e:
            report[name] = "NOT ENFORCED: setrlimit failed: %s" % e

    _RLIMIT_NAMES.update({resource.RLIMIT_AS: "RLIMIT_AS", resource.RLIMIT_CPU: "RLIMIT_CPU"})
    if spec.get("memoryBytes"):
        limit("memory", resource.RLIMIT_AS, int(spec["memoryBytes"]))
    if spec.get("cpuSeconds"):
        limit("cpuSeconds", resource.RLIMIT_CPU, int(spec["cpuSeconds"]))
    if spec.get("maxProcesses") and hasattr(resource, "RLIMIT_NPROC"):
        _RLIMIT_NAMES[resource.RLIMIT_NPROC] = "RLIMIT_NPROC"
        limit("processes", resource.RLIMIT_NPROC, int(spec["maxProcesses"]))
    if spec.get("gid") is not None:
        try:
            os.setgroups([])
            os.setgid(int(spec["gid"]))
        except OSError as e:
            report["gid"] = "NOT ENFORCED: " + str(e)
    if spec.get("uid") is not None:
        try:
            os.setuid(int(spec["uid"]))
            report["uid"] = str(os.getuid())
        except OSError as e:
            report["uid"] = "NOT ENFORCED: " + str(e)
    if os.getuid() == 0 and "processes" in report and not report["processes"].startswith("NOT"):
        report["processes"] = "NOT ENFORCED: the worker runs as root, which RLIMIT_NPROC does not limit"
    return report


_RLIMIT_NAMES = {}


# ---------------------------------------------------------------- values

class SerialiseError(Exception):
    pass


def encode(value, path="result"):
    """Python value -> JSON-able value; non-JSON objects are pickled (PROTOCOL.md, "Values")."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise SerialiseError("%s is %r, which JSON cannot carry" % (path, value))
        return value
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if type(value) is dict:
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                return _pickled(value, path)
            out[k] = encode(v, "%s[%r]" % (path, k))
        return out
    if type(value) in (list, tuple):
        return [encode(v, "%s[%d]" % (path, i)) for i, v in enumerate(value)]
    return _pickled(value, path)


def _pickled(value, path):
    cls = type(value)
    name = "%s.%s" % (cls.__module__, cls.__qualname__)
    try:
        data = pickle.dumps(value, protocol=4)
    except Exception as e:  # any pickling failure is a serialisation failure of this value
        raise SerialiseError("%s (a %s) cannot be serialised: %s: %s" % (path, name, type(e).__name__, e))
    return {"$python": name, "pickle": base64.b64encode(data).decode("ascii")}


def decode(value):
    if isinstance(value, dict):
        if "$python" in value and "pickle" in value:
            return pickle.loads(base64.b64decode(value["pickle"]))
        if "$bytes" in value and len(value) == 1:
            return base64.b64decode(value["$bytes"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


# ---------------------------------------------------------------- calls

class CallError(Exception):
    def __init__(self, code, message, line=None, column=None, tb=None, etype=None):
        Exception.__init__(self, message)
        self.code, self.line, self.column, self.tb, self.etype = code, line, column, tb, etype


_modules = {}


def load_module(digest, code):
    module = _modules.get(digest)
    if module is not None:
        return module
    if code is None:
        raise CallError("python.module_unknown", "no module of hash %s is loaded and no code was sent" % digest)
    filename = "<qflow %s>" % digest[:12]
    try:
        compiled = compile(code, filename, "exec")
    except SyntaxError as e:
        raise CallError("python.syntax", "%s (line %s, column %s)" % (e.msg, e.lineno, e.offset),
                        e.lineno, e.offset, etype="SyntaxError")
    name = "qflow_user_" + digest[:16]
    module = types.ModuleType(name)
    module.__file__ = filename
    sys.modules[name] = module
    try:
        exec(compiled, module.__dict__)
    except BaseException as e:
        del sys.modules[name]
        raise CallError("python.exception", "importing the code failed: %s: %s" % (type(e).__name__, e),
                        _user_line(e), tb=_user_traceback(e), etype=type(e).__name__)
    # Keeps the source for tracebacks (linecache reads it by the module's file name).
    import linecache
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    _modules[digest] = module
    return module


def _user_traceback(e):
    tb = e.__traceback__
    # Drops the worker's own frames so the user sees their code first.
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(e), e, tb))


def _user_line(e):
    line = None
    tb = e.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith("<qflow "):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def do_call(request):
    module = load_module(request["hash"], request.get("code"))
    fname = request["function"]
    fn = module.__dict__.get(fname)
    if not callable(fn) or isinstance(fn, type):
        raise CallError("python.no_function", "the code has no top-level function '%s'" % fname)
    args = {k: decode(v) for k, v in (request.get("args") or {}).items()}
    import inspect
    try:
        inspect.signature(fn).bind(**args)
    except TypeError as e:
        raise CallError("python.arguments", "%s(): %s" % (fname, e))
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    start = time.perf_counter()
    try:
        result = fn(**args)
        if inspect.isawaitable(result):
            import asyncio
            result = asyncio.run(_await(result))
    except BaseException as e:
        elapsed = (time.perf_counter() - start) * 1000.0
        sys.stdout, sys.stderr = saved
        if isinstance(e, (KeyboardInterrupt,)):
            raise
        error = CallError("python.exception", "%s: %s" % (type(e).__name__, e), _user_line(e),
                          tb=_user_traceback(e), etype=type(e).__name__)
        error.stdout, error.stderr, error.elapsed = out.getvalue(), err.getvalue(), elapsed
        raise error
    finally:
        if sys.stdout is out:
            sys.stdout, sys.stderr = saved
    elapsed = (time.perf_counter() - start) * 1000.0
    outputs = request.get("outputs")
    try:
        if outputs:
            if not isinstance(result, dict):
                raise CallError("python.outputs", "%s() declares outputs %s but returned a %s, not a dict"
                                % (fname, ", ".join(outputs), type(result).__name__))
            missing = [o for o in outputs if o not in result]
            if missing:
                raise CallError("python.outputs", "%s() declares outputs %s but its result lacks %s"
                                % (fname, ", ".join(outputs), ", ".join(missing)))
        encoded = encode(result)
    except SerialiseError as e:
        raise CallError("python.serialise", str(e))
    return {"result": encoded, "stdout": out.getvalue(), "stderr": err.getvalue(), "durationMs": elapsed}


async def _await(awaitable):
    return await awaitable


# ---------------------------------------------------------------- analysis

def do_analyze(request):
    code = request.get("code") or ""
    analyzer = _Analyzer(code)
    return {"analysis": analyzer.run()}


_SCALARS = {"int": "integer", "float": "number", "str": "string", "bool": "boolean", "bytes": "binary",
            "bytearray": "binary", "None": "any", "NoneType": "any", "object": "any", "Any": "any",
            "complex": None}
_ARRAYS = {"list", "List", "tuple", "Tuple", "set", "Set", "frozenset", "FrozenSet", "Sequence",
           "MutableSequence", "Iterable", "Collection", "Iterator", "Generator", "AbstractSet"}
_OBJECTS = {"dict", "Dict", "Mapping", "MutableMapping", "OrderedDict", "DefaultDict", "defaultdict", "Counter"}


class _Analyzer:
    def __init__(self, code):
        self.code = code
        self.classes = {}      # name -> ast.ClassDef
        self.aliases = {}      # local name -> qualified name ("np" -> "numpy", "DataFrame" -> "pandas.DataFrame")

    def run(self):
        result = {"python": "%d.%d.%d" % sys.version_info[:3], "functions": [], "imports": [],
                  "thirdParty": [], "classes": []}
        try:
            tree = ast.parse(self.code, "<code>")
        except SyntaxError as e:
            result["syntaxError"] = {"message": e.msg, "line": e.lineno, "column": e.offset,
                                     "text": (e.text or "").rstrip("\n")}
            return result
        stdlib = set(getattr(sys, "stdlib_module_names", ())) or _fallback_stdlib()
        seen = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    self.aliases[alias.asname or top] = alias.name if alias.asname else top
                    seen.setdefault(alias.name.split(".")[0], node.lineno)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = node.module + "." + alias.name
                seen.setdefault(node.module.split(".")[0], node.lineno)
        local = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
        for name, line in sorted(seen.items(), key=lambda kv: kv[1]):
            kind = "stdlib" if name in stdlib or name == "__future__" else "third-party"
            result["imports"].append({"module": name, "line": line, "kind": kind})
            if kind == "third-party" and name not in local:
                result["thirdParty"].append(name)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                self.classes[node.name] = node
                result["classes"].append(node.name)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                result["functions"].append(self.function(node))
        return result

    def function(self, fn):
        params = []
        a = fn.args
        positional = list(getattr(a, "posonlyargs", [])) + list(a.args)
        defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
        for arg, default in zip(positional, defaults):
            params.append(self.param(arg, default, "positional"))
        for arg, default in zip(a.kwonlyargs, a.kw_defaults):
            params.append(self.param(arg, default, "keyword"))
        if a.vararg:
            params.append(dict(self.param(a.vararg, None, "var_positional"), required=False))
        if a.kwarg:
            params.append(dict(self.param(a.kwarg, None, "var_keyword"), required=False))
        returns = ast.unparse(fn.returns) if fn.returns is not None else None
        return_type = self.datatype(fn.returns) if fn.returns is not None else "any"
        info = {"name": fn.name, "line": fn.lineno, "async": isinstance(fn, ast.AsyncFunctionDef),
                "docstring": ast.get_docstring(fn), "parameters": params, "returns": returns,
                "returnType": return_type}
        # A function returning a TypedDict/dataclass offers its fields as candidate named outputs.
        fields = self.record_fields(fn.returns)
        if fields:
            info["outputCandidates"] = fields
        return info

    def param(self, arg, default, kind):
        p = {"name": arg.arg, "kind": kind,
             "annotation": ast.unparse(arg.annotation) if arg.annotation is not None else None,
             "required": default is None,
             "type": self.datatype(arg.annotation) if arg.annotation is not None else "any"}
        if default is not None:
            p["default"] = ast.unparse(default)
            try:
                p["defaultValue"] = ast.literal_eval(default)
                json.dumps(p["defaultValue"])
            except Exception:
                p.pop("defaultValue", None)
            if p.get("defaultValue", 0) is None and not p["type"].endswith("?") and p["type"] != "any":
                p["type"] += "?"  # def f(x: int = None) accepts None
        return p

    def qualified(self, node):
        """Dotted name of an annotation expression with import aliases resolved, or None."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualified(node.value)
            return base + "." + node.attr if base else None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                return self.qualified(ast.parse(node.value, mode="eval").body)
            except SyntaxError:
                return None
        return None

    def datatype(self, node, depth=0):
        if node is None or depth > 8:
            return "any"
        if isinstance(node, ast.Constant):
            if node.value is None:
                return "any"
            if isinstance(node.value, str):
                try:
                    return self.datatype(ast.parse(node.value, mode="eval").body, depth + 1)
                except SyntaxError:
                    return "any"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.union([node.left, node.right], depth)
        if isinstance(node, ast.Subscript):
            base = self.qualified(node.value) or ""
            short = base.split(".")[-1]
            args = node.slice
            if isinstance(args, ast.Index):  # Python 3.8
                args = args.value
            items = list(args.elts) if isinstance(args, ast.Tuple) else [args]
            if short == "Optional":
                return _nullable(self.datatype(items[0], depth + 1))
            if short == "Union":
                return self.union(items, depth)
            if short in ("Annotated", "Final", "ClassVar", "Required", "NotRequired"):
                return self.datatype(items[0], depth + 1)
            if short == "Literal":
                values = [i.value for i in items if isinstance(i, ast.Constant)]
                kinds = {_SCALARS.get(type(v).__name__) for v in values}
                return kinds.pop() if len(kinds) == 1 and None not in kinds else "any"
            if short in ("tuple", "Tuple") and len(items) != 1 and not (
                    len(items) == 2 and isinstance(items[1], ast.Constant) and items[1].value is Ellipsis):
                element = {self.datatype(i, depth + 1) for i in items}
                return "array<%s>" % (element.pop() if len(element) == 1 else "any")
            if short in _ARRAYS:
                return "array<%s>" % self.datatype(items[0], depth + 1)
            if short in _OBJECTS:
                return "object"
            return self.named(base)
        name = self.qualified(node)
        return self.named(name) if name else "any"

    def union(self, items, depth):
        types_ = []
        nullable = False
        for item in items:
            if (isinstance(item, ast.Constant) and item.value is None) or self.qualified(item) in ("None", "NoneType"):
                nullable = True
                continue
            types_.append(self.datatype(item, depth + 1))
        distinct = list(dict.fromkeys(types_))
        if set(distinct) <= {"integer", "number"} and distinct:
            t = "number" if "number" in distinct else "integer"
        elif len(distinct) == 1:
            t = distinct[0]
        else:
            t = "any"
        return _nullable(t) if nullable else t

    def named(self, name):
        short = name.split(".")[-1]
        if name in _SCALARS or (name.startswith("typing.") and short in _SCALARS):
            return _SCALARS[short] or "python:" + name
        if short in _ARRAYS and ("." not in name or name.split(".")[0] in ("typing", "collections")):
            return "array<any>"
        if short in _OBJECTS and ("." not in name or name.split(".")[0] in ("typing", "collections")):
            return "object"
        if short in ("datetime", "date", "time") and name.startswith("datetime"):
            return "python:" + name
        if "." not in name and name in self.classes:
            props = self.class_properties(self.classes[name])
            if props is not None:
                return _object(props)
            return "python:%s" % name
        if "." not in name and hasattr(builtins, name):
            return "python:builtins." + name
        return "python:" + name

    def class_properties(self, cls, depth=0):
        """Fields of a TypedDict, dataclass or NamedTuple defined in the code, else None."""
        bases = {(self.qualified(b) or "").split(".")[-1] for b in cls.bases}
        decorators = {(self.qualified(d.func if isinstance(d, ast.Call) else d) or "").split(".")[-1]
                      for d in cls.decorator_list}
        if not (bases & {"TypedDict", "BaseModel"} or "dataclass" in decorators):
            return None
        props = {}
        for stmt in cls.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                if (self.qualified(stmt.annotation) or "").split(".")[-1] == "ClassVar":
                    continue
                props[stmt.target.id] = self.datatype(stmt.annotation, depth + 1)
        return props

    def record_fields(self, node):
        name = self.qualified(node) if node is not None else None
        if name and name in self.classes:
            props = self.class_properties(self.classes[name])
            if props:
                return [{"name": k, "type": v} for k, v in props.items()]
        return None


def _object(props):
    if not props:
        return "object"
    return "object{%s}" % ",".join("%s:%s" % (k, v) for k, v in props.items())


def _nullable(t):
    return t if t == "any" or t.endswith("?") else t + "?"


def _fallback_stdlib():
    # Python < 3.10 has no sys.stdlib_module_names: approximate with the built-in and standard-library
    # modules found next to os.py.
    names = set(sys.builtin_module_names)
    stdlib_dir = os.path.dirname(os.__file__)
    for entry in os.listdir(stdlib_dir):
        if entry.endswith(".py"):
            names.add(entry[:-3])
        elif os.path.isdir(os.path.join(stdlib_dir, entry)) and entry != "site-packages":
            names.add(entry)
    return names


# ---------------------------------------------------------------- import policy

# (denied top-level names, allowed third-party names or None) once "configure" set a policy. The
# analysis refuses import statements before code runs; this refuses what it cannot see: imports the
# user's code makes at run time (__import__, importlib.import_module, exec'd source). Libraries keep
# importing what they need. A guardrail, not the sandbox: isolation comes from the backend.
_policy = None
_STDLIB = None


def do_configure(request):
    global _policy, _STDLIB
    imports = request.get("imports") or {}
    deny = frozenset(imports.get("deny") or ())
    allow = frozenset(imports.get("allow") or ()) or None
    if (deny or allow) and _policy is None:
        _STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) or frozenset(_fallback_stdlib())
        import importlib
        builtins.__import__ = _guarded_import(builtins.__import__)
        importlib.import_module = _guarded_import_module(importlib.import_module)
    _policy = (deny, allow)
    return {}


def _refusal(name):
    top = name.partition(".")[0]
    deny, allow = _policy
    if top in deny:
        return "import of '%s' is denied by qflow.python.denyImports" % top
    if allow is not None and top not in allow and top not in _STDLIB and not top.startswith("qflow_user_"):
        return "import of '%s' is not in qflow.python.allowImports" % top
    return None


def _from_user_code(frame):
    # The user's module is "<qflow ...>", what it exec()s or eval()s "<string>"; libraries are files.
    name = frame.f_code.co_filename if frame is not None else ""
    return name.startswith("<") and not name.startswith("<frozen")


def _guarded_import(original):
    def __import__(name, globals=None, locals=None, fromlist=(), level=0):
        if _policy is not None and level == 0 and _from_user_code(sys._getframe(1)):
            why = _refusal(name)
            if why:
                raise ImportError(why, name=name)
        return original(name, globals, locals, fromlist, level)
    return __import__


def _guarded_import_module(original):
    def import_module(name, package=None):
        if _policy is not None and not name.startswith(".") and _from_user_code(sys._getframe(1)):
            why = _refusal(name)
            if why:
                raise ImportError(why, name=name)
        return original(name, package)
    return import_module


# ---------------------------------------------------------------- main loop

def handle(request):
    op = request.get("op")
    if op == "ping":
        return {}
    if op == "call":
        return do_call(request)
    if op == "analyze":
        return do_analyze(request)
    if op == "configure":
        return do_configure(request)
    raise CallError("python.protocol", "unknown op %r" % op)


def main(argv):
    limits = None
    if "--limits" in argv:
        limits = json.loads(argv[argv.index("--limits") + 1])
    report = apply_limits(limits)
    write_frame({"type": "hello", "protocol": PROTOCOL, "python": "%d.%d.%d" % sys.version_info[:3],
                 "executable": sys.executable, "pid": os.getpid(), "limits": report})
    while True:
        request = read_frame()
        if request is None:
            return 0
        rid = request.get("id")
        if request.get("op") == "shutdown":
            write_frame({"id": rid, "ok": True})
            return 0
        try:
            reply = handle(request)
            reply.update(id=rid, ok=True)
        except CallError as e:
            error = {"code": e.code, "message": str(e), "type": e.etype or e.code}
            if e.line is not None:
                error["line"] = e.line
            if e.column is not None:
                error["column"] = e.column
            if e.tb:
                error["traceback"] = e.tb
            reply = {"id": rid, "ok": False, "error": error}
            for key, attr in (("stdout", "stdout"), ("stderr", "stderr"), ("durationMs", "elapsed")):
                if hasattr(e, attr):
                    reply[key] = getattr(e, attr)
        except MemoryError:
            reply = {"id": rid, "ok": False, "error": {"code": "python.memory", "type": "MemoryError",
                                                       "message": "MemoryError: the call exceeded the memory limit"}}
        except Exception as e:  # a bug in this worker or a protocol problem: report, keep serving
            reply = {"id": rid, "ok": False, "error": {"code": "python.worker", "type": type(e).__name__,
                                                       "message": "%s: %s" % (type(e).__name__, e),
                                                       "traceback": traceback.format_exc()}}
        try:
            write_frame(reply)
        except (ValueError, TypeError) as e:
            write_frame({"id": rid, "ok": False, "error": {"code": "python.serialise", "type": type(e).__name__,
                                                          "message": "the reply cannot be encoded: %s" % e}})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
